/**
 * The mutation check: a bug planted in a driver policy and one planted in the node machine are
 * each caught by the property tests and by the explorer, in both models, and the explorer's
 * counterexample replays to the same broken invariant on a runtime built with the same bug.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { counterexampleScenario } from '../../src/check/counterexample.js';
import { DEFAULT_UNIVERSE } from '../../src/check/default-universe.js';
import { explore } from '../../src/check/explore.js';
import { World, type WorldOptions } from '../../src/check/world.js';
import type { Model } from '../../src/graph/types.js';
import { MODELS } from '../../machines/node.types.js';
import type { InvariantName } from '../../src/invariants/index.js';
import { runScenario } from '../../src/scenario/run.js';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import { NEVER_DROPS_BACK, QCOW2_SHARES_WRITE } from './support/mutants.js';
import { checkSequences } from './support/sequences.js';
import { CHAIN2, THREE_NODES } from './support/universes.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-mutants-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MUTANTS: { name: string; variant: Omit<WorldOptions, 'model'>; caughtBy: Record<Model, InvariantName> }[] = [
  {
    name: 'a qcow2 that shares write on its file under a writer (driver policy)',
    variant: { driverPolicies: QCOW2_SHARES_WRITE },
    caughtBy: { dynamic: 'child-perms-follow-driver', 'qemu-7.2': 'child-perms-follow-driver', 'qemu-10.0': 'child-perms-follow-driver' },
  },
  {
    name: 'auto-read-only nodes that never drop back (node machine)',
    variant: { nodeMachine: NEVER_DROPS_BACK },
    caughtBy: { dynamic: 'dynamic-read-write-iff-writer', 'qemu-7.2': 'fd-follows-writers', 'qemu-10.0': 'fd-follows-writers' },
  },
];

describe('planted bugs are caught', () => {
  for (const { name, variant, caughtBy } of MUTANTS) {
    for (const model of MODELS) {
      const options = { model, ...variant };

      it(`${name}: the clean code passes the same checks (${model})`, () => {
        expect(explore(new World(DEFAULT_UNIVERSE, { model }), { depth: 4 }).found).toBeUndefined();
        expect(checkSequences(CHAIN2, { model }, { numRuns: 300, maxCommands: 8, seed: 7, outDir: scratch }).failure).toBeUndefined();
      });

      it(`${name}: the property tests catch it (${model})`, () => {
        const outcome = checkSequences(CHAIN2, options, { numRuns: 300, maxCommands: 8, seed: 7, outDir: scratch });
        expect(outcome.failure?.violations.map((v) => v.invariant)).toContain(caughtBy[model]);
      });

      it(`${name}: the explorer catches it under symmetry reduction too (${model})`, () => {
        const world = new World(THREE_NODES, options);
        const plain = explore(world, {});
        const reduced = explore(world, { symmetry: true });
        const caught = (found: typeof plain.found): string[] => found?.violations.map((v) => v.invariant) ?? [];
        expect(caught(reduced.found)).toEqual(caught(plain.found));
        expect(reduced.found?.path.length).toBe(plain.found?.path.length);
        if (caught(plain.found).length === 0) expect(caught(explore(new World(DEFAULT_UNIVERSE, options), { symmetry: true, depth: 6 }).found)).toContain(caughtBy[model]);
        else expect(caught(plain.found)).toContain(caughtBy[model]);
      });

      it(`${name}: the explorer catches it, and its counterexample replays (${model})`, () => {
        const world = new World(DEFAULT_UNIVERSE, options);
        const result = explore(world, { depth: 6 });
        expect(result.found?.violations.map((v) => v.invariant)).toContain(caughtBy[model]);
        expect(result.found!.path.length).toBeGreaterThan(0);

        const scenario = counterexampleScenario(world, result.found!.path, result.found!.violations);
        const replay = runScenario(scenario, {
          model,
          storage: virtualStorageFor(scenario, world.workdir, 'counterexample'),
          workdir: world.workdir,
          runtime: variant,
        });
        replay.permgraph.dispose();
        expect(replay.ok).toBe(false);
        expect(replay.steps.every((s) => s.check?.ok !== false)).toBe(true);
        expect(replay.steps.at(-1)!.violations!.map((v) => v.invariant)).toContain(caughtBy[model]);
      });
    }
  }
});
