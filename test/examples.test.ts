/** Every scenario in examples/ runs in both models with all its expectations met. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/program.js';

const examples = readdirSync(new URL('../examples', import.meta.url)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe('examples', () => {
  it('has at least 8 scenarios', () => expect(examples.length).toBeGreaterThanOrEqual(8));
  for (const file of examples) {
    for (const model of ['dynamic', 'qemu-7.2']) {
      it(`${file} (${model})`, async () => {
        let out = '';
        let err = '';
        const code = await runCli(['run', `examples/${file}`, '--model', model], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
        expect(err).toBe('');
        expect(out.match(/^.*FAILED.*$/gm) ?? []).toEqual([]);
        expect(code).toBe(0);
      });
    }
  }
});
