/** Every example in docs/scenario-format.md runs, in both models, with its expectations met. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/run.js';
import { virtualStorageFor } from '../src/scenario/virtual-setup.js';

const doc = readFileSync(new URL('../docs/scenario-format.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```(yaml|json)\n([\s\S]*?)```/g)].map((m, i) => ({ lang: m[1]!, text: m[2]!, index: i }));

describe('docs/scenario-format.md examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(3));
  for (const block of blocks) {
    for (const model of ['dynamic', 'qemu-7.2'] as const) {
      it(`example ${block.index + 1} (${block.lang}) runs in ${model}`, () => {
        const file = `example-${block.index + 1}.${block.lang}`;
        const scenario = parseScenario(block.text, file);
        const workdir = `/scenario/example-${block.index + 1}`;
        const result = runScenario(scenario, { model, storage: virtualStorageFor(scenario, workdir, file), workdir });
        expect(result.steps.filter((s) => s.check?.ok === false).map((s) => s.check?.message)).toEqual([]);
        const unexpected = result.steps.filter((s) => s.reply && 'error' in s.reply && !('expect' in s.step && s.step.expect));
        expect(unexpected.map((s) => s.reply)).toEqual([]);
        result.permgraph.dispose();
      });
    }
  }
});
