/**
 * Shrinking counterexamples: a planted bug's breadth-first counterexample, padded with commands
 * that have nothing to do with it, shrinks back to a path no longer than the breadth-first one
 * that still breaks the same invariant; a path that breaks nothing comes back as it was.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE } from '../../src/check/default-universe.js';
import { explore } from '../../src/check/explore.js';
import { breaksAfter, shrinkPath } from '../../src/check/shrink.js';
import { World, type WorldOptions } from '../../src/check/world.js';
import type { InvariantName } from '../../src/invariants/index.js';
import { NEVER_DROPS_BACK, QCOW2_SHARES_WRITE } from './support/mutants.js';

/** Every command after each of the path's, and a few before it: a reader's export, base's chmod and back, the clock. */
function padded(path: readonly number[], world: World): number[] {
  const find = (p: (label: string) => boolean): number => world.commands.findIndex((c) => p(JSON.stringify(c)));
  const readerAdd = find((l) => l.includes('"reader"') && l.includes('block-export-add'));
  const readerDel = find((l) => l.includes('"reader"') && l.includes('block-export-del'));
  const chmodRo = find((l) => l.includes('0444'));
  const chmodRw = find((l) => l.includes('0644'));
  const advance = find((l) => l.includes('advance'));
  const noise = [readerAdd, chmodRo, advance, chmodRw, readerDel];
  expect(noise.every((c) => c >= 0)).toBe(true);
  return [...noise, ...path.flatMap((c) => [c, readerAdd, chmodRo, chmodRw, readerDel]), advance, readerAdd];
}

const MUTANTS: { name: string; variant: Omit<WorldOptions, 'model'> }[] = [
  { name: 'a qcow2 that shares write on its file under a writer', variant: { driverPolicies: QCOW2_SHARES_WRITE } },
  { name: 'auto-read-only nodes that never drop back', variant: { nodeMachine: NEVER_DROPS_BACK } },
];

describe('shrinkPath', () => {
  for (const { name, variant } of MUTANTS) {
    for (const model of ['dynamic', 'qemu-7.2'] as const) {
      it(`${name} (${model}): a padded counterexample shrinks to one no longer than the breadth-first one`, () => {
        const world = new World(DEFAULT_UNIVERSE, { model, ...variant });
        const found = explore(world, { depth: 6 }).found!;
        expect(found.path.length).toBeGreaterThan(0);
        const broken = new Set<InvariantName>(found.violations.map((v) => v.invariant));
        const long = padded(found.path, world);
        expect(breaksAfter(world, long, broken)).toBeGreaterThan(found.path.length);

        const shrunk = shrinkPath(world, long, broken);
        expect(shrunk.length).toBeLessThanOrEqual(found.path.length);
        expect(breaksAfter(world, shrunk, broken)).toBe(shrunk.length);
        // 1-minimal: no single command can go
        for (let i = 0; i < shrunk.length; i++) {
          expect(breaksAfter(world, shrunk.filter((_, k) => k !== i), broken)).toBe(-1);
        }
      });
    }
  }

  it('a path that breaks none of the invariants comes back as it was', () => {
    const world = new World(DEFAULT_UNIVERSE, { model: 'qemu-7.2' });
    const path = padded([0, 4, 7], world);
    expect(breaksAfter(world, path, new Set(['child-perms-follow-driver']))).toBe(-1);
    expect(shrinkPath(world, path, ['child-perms-follow-driver'])).toEqual(path);
  });

  it('only the invariants named count: a break of another one is not kept', () => {
    const world = new World(DEFAULT_UNIVERSE, { model: 'qemu-7.2', driverPolicies: QCOW2_SHARES_WRITE });
    const found = explore(world, { depth: 6 }).found!;
    const path = padded(found.path, world);
    expect(shrinkPath(world, path, ['acyclic'])).toEqual(path);
  });
});
