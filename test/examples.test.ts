/**
 * Every scenario in examples/ runs in both models with all its expectations met, and has its
 * recording on qemu-storage-daemon 7.2 (test/fixtures/examples, replayed and recorded again live
 * by the differential suite). The guest devices scenario, which the daemon cannot run, is held
 * to its expectations the same way in model dynamic, the one that simulates QEMU's system
 * emulator; a QEMU model answers its device commands CommandNotFound, as the daemon does.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/program.js';

const examples = readdirSync(new URL('../examples', import.meta.url)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const scenarios = [...examples.map((f) => `examples/${f}`), 'test/fixtures/scenarios/devices.yaml'];

describe('examples', () => {
  it('has at least 8 scenarios', () => expect(examples.length).toBeGreaterThanOrEqual(8));

  it('each has its recording on the daemon', () => {
    const unrecorded = examples.filter((f) => !existsSync(new URL(`fixtures/examples/${f.replace(/\.(ya?ml|json)$/, '')}.trace.json`, import.meta.url)));
    expect(unrecorded).toEqual([]);
  });

  for (const file of scenarios) {
    for (const model of file.endsWith('devices.yaml') ? ['dynamic'] : ['dynamic', 'qemu-7.2']) {
      it(`${file} (${model})`, async () => {
        let out = '';
        let err = '';
        const code = await runCli(['run', file, '--model', model], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
        expect(err).toBe('');
        expect(out.match(/^.*FAILED.*$/gm) ?? []).toEqual([]);
        expect(code).toBe(0);
      });
    }
  }
});
