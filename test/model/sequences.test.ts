/**
 * fast-check command sequences: 10,000 random sequences per run, over a two-image and a
 * three-image chain, in both models, the invariants checked after every command. A failure names
 * its seed and leaves a shrunk scenario file that `permgraph run` reproduces; that path is tested
 * on QEMU 7.2's own break of atomicity (the failed stream's leaked backend).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadUniverse } from '../../src/check/universe.js';
import { runCli } from '../../src/cli/program.js';
import type { Model } from '../../src/graph/types.js';
import { checkSequences } from './support/sequences.js';
import { CHAIN2, CHAIN3 } from './support/universes.js';

/** Runs per universe and model: 2 × 2 × 2,500 = 10,000 sequences in all. */
export const RUNS = 2_500;
export const MAX_COMMANDS = 8;
const failures = join(tmpdir(), 'permgraph-property-failures');
/** PERMGRAPH_SEED=<seed> replays the seed a failure printed. */
const seed = process.env['PERMGRAPH_SEED'] ? { seed: Number(process.env['PERMGRAPH_SEED']) } : {};
const scratch = mkdtempSync(join(tmpdir(), 'permgraph-sequences-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('random command sequences keep every invariant', () => {
  for (const universe of [CHAIN2, CHAIN3]) {
    for (const model of ['dynamic', 'qemu-7.2'] as Model[]) {
      it(`${universe.name}, ${model}: ${RUNS} sequences of up to ${MAX_COMMANDS} commands`, () => {
        const outcome = checkSequences(universe, { model }, { numRuns: RUNS, maxCommands: MAX_COMMANDS, outDir: failures, ...seed });
        if (outcome.failure) throw new Error(outcome.failure.message);
        expect(outcome.runs).toBe(RUNS);
      });
    }
  }
});

describe('a failing sequence', () => {
  const universe = loadUniverse('test/model/fixtures/stream-leak.yaml');

  it('is shrunk, named by its seed, and written as a scenario that permgraph run reproduces', async () => {
    const outcome = checkSequences(universe, { model: 'qemu-7.2' }, { numRuns: 500, maxCommands: 10, seed: 42, outDir: scratch });
    const failure = outcome.failure!;
    expect(failure).toBeDefined();
    expect(failure.seed).toBe(42);
    expect(failure.message).toMatch(/seed: 42/);
    expect(failure.message).toContain(`scenario written to ${failure.scenarioFile}; replay it with: permgraph run ${failure.scenarioFile}`);
    // shrunk to the two commands that matter: the writable export on mid, then the stream
    expect(failure.path.map((i) => universe.commands[i])).toEqual([universe.commands[0], universe.commands[2]]);
    expect(failure.violations.map((v) => v.invariant)).toEqual(['refused-command-unchanged']);

    let out = '';
    const code = await runCli(['run', failure.scenarioFile], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
    expect(code).toBe(1);
    expect(out).toContain('INVARIANT refused-command-unchanged: refused block-stream');
    expect(out).toMatch(/0 expectations failed, 1 invariant violation\n$/);
  });

  it('is not found where the model has no such break', () => {
    expect(checkSequences(universe, { model: 'dynamic' }, { numRuns: 200, maxCommands: 10, outDir: scratch }).failure).toBeUndefined();
  });
});
