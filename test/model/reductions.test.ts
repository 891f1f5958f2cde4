/**
 * The reductions against the plain search, to exhaustion on universes small enough for both:
 * the same invariants broken (none on the clean code; the planted ones with planted bugs), the
 * states before symmetry reduction counted back exactly from the orbit sizes, and with sleep sets
 * the very same states in fewer transitions.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE } from '../../src/check/default-universe.js';
import { canonicalText, reducedBfs, type ReducedResult } from '../../src/check/reduced-bfs.js';
import { renamedStateText, stateSections } from '../../src/check/symmetry-text.js';
import { symmetricKey, symmetryOf } from '../../src/check/symmetry.js';
import { wordsAmongNames } from '../../src/check/symmetry-group.js';
import type { Universe } from '../../src/check/universe.js';
import { World, type WorldOptions } from '../../src/check/world.js';
import { MODELS } from '../../machines/node.types.js';
import { NEVER_DROPS_BACK, QCOW2_SHARES_WRITE } from './support/mutants.js';
import { THREE_NODES, TWO_CHAINS, TWO_NODES_ADD_DEL } from './support/universes.js';

const sorted = (r: ReducedResult): string[] => [...r.violated].sort();
const command = (world: World, text: string): number => world.commands.findIndex((c) => JSON.stringify(c).includes(text));

describe('symmetry groups', () => {
  it('three nodes alike: every permutation of n1, n2, n3 (and of e1, e2, e3 with them)', () => {
    const world = new World(THREE_NODES, { model: 'qemu-7.2' });
    const sym = symmetryOf(THREE_NODES, world)!;
    expect(sym.renamings.length).toBe(6);
    expect(sym.atoms).toEqual(['e1', 'e2', 'e3', 'n1', 'n2', 'n3']);
    for (const map of sym.commandMaps) expect([...map].sort((a, b) => a - b)).toEqual(world.commands.map((_, i) => i));
  });

  it('two chains alike: left and right swapped, with every name made from them', () => {
    const sym = symmetryOf(TWO_CHAINS, new World(TWO_CHAINS, { model: 'qemu-7.2' }))!;
    expect(sym.renamings.length).toBe(2);
    expect(Object.fromEntries(sym.renamings[1]!)).toMatchObject({ left: 'right', left0: 'right0', left1: 'right1' });
  });

  it('none where nothing is alike, or where one node has a command the others lack', () => {
    expect(symmetryOf(DEFAULT_UNIVERSE, new World(DEFAULT_UNIVERSE, { model: 'qemu-7.2' }))).toBeUndefined();
    const lopsided: Universe = { ...THREE_NODES, commands: THREE_NODES.commands.filter((c) => !('chmod' in c && c.chmod[0].includes('n3'))) };
    const sym = symmetryOf(lopsided, new World(lopsided, { model: 'qemu-7.2' }))!;
    expect(sym.renamings.length).toBe(2);
    expect(sym.atoms).toEqual(['e1', 'e2', 'n1', 'n2']);
  });

  it('a name the engine also writes as a word of its own is never renamed', () => {
    const world = new World(THREE_NODES, { model: 'qemu-7.2' });
    expect(wordsAmongNames(THREE_NODES, world, ['n1', 'n2', 'fdActive', 'readWrite', 'e1'])).toEqual(new Set(['fdActive', 'readWrite']));
  });

  it('a state and its renamings share one key; the orbit size counts them', () => {
    const world = new World(THREE_NODES, { model: 'qemu-7.2' });
    const sym = symmetryOf(THREE_NODES, world)!;
    const key = (s: Parameters<typeof symmetricKey>[1]): { key: string; orbitSize: number } => symmetricKey(sym, s, (t) => t);
    const one = world.step(world.initial, command(world, '"id":"e1","node-name"')).state;
    const two = world.step(world.initial, command(world, '"id":"e2","node-name"')).state;
    const both = world.step(one, command(world, '"id":"e2","node-name"')).state;
    expect(key(one)).toEqual(key(two));
    expect(key(one).orbitSize).toBe(3);
    expect(key(both).key).not.toBe(key(one).key);
    expect(key(world.initial).orbitSize).toBe(1);
  });
});

describe('the renamings are automorphisms of the transition system', () => {
  for (const universe of [THREE_NODES, TWO_CHAINS]) {
    it(`every transition of every reachable state, renamed, is a transition (${universe.name})`, () => {
      const world = new World(universe, { model: 'qemu-7.2' });
      const sym = symmetryOf(universe, world)!;
      const plain = reducedBfs(world);
      const refused = (r: { reply?: object }): boolean => r.reply !== undefined && 'error' in r.reply;
      let checked = 0;
      for (const s of plain.states.values()) {
        const sections = stateSections(s);
        for (let k = 1; k < Math.min(sym.renamings.length, 3); k++) {
          const renaming = sym.renamings[k]!;
          const image = plain.states.get(renamedStateText(sections, renaming))!;
          expect(image).toBeDefined();
          for (let c = 0; c < world.commands.length; c++) {
            const there = world.step(s, c);
            const here = world.step(image, sym.commandMaps[k]![c]!);
            expect(canonicalText(here.state)).toBe(renamedStateText(stateSections(there.state), renaming));
            expect(refused(here)).toBe(refused(there));
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(1000);
    }, 120_000);
  }
});

describe('the reduced searches find what the plain one finds', () => {
  for (const universe of [THREE_NODES, TWO_CHAINS, TWO_NODES_ADD_DEL]) {
    for (const model of MODELS) {
      it(`${universe.name} (${model})`, () => {
        const world = new World(universe, { model });
        const plain = reducedBfs(world);
        const sym = symmetryOf(universe, world)!;
        const bySymmetry = reducedBfs(world, { symmetry: sym });
        expect(bySymmetry.represented).toBe(plain.states.size);
        expect(bySymmetry.states.size).toBeLessThan(plain.states.size);
        const orbits = new Set([...plain.states.values()].map((s) => symmetricKey(sym, s, (t) => t).key));
        expect(orbits).toEqual(new Set(bySymmetry.states.keys()));
        const bySleep = reducedBfs(world, { sleepSets: true });
        expect(new Set(bySleep.states.keys())).toEqual(new Set(plain.states.keys()));
        expect(bySleep.transitions).toBeLessThan(plain.transitions);
        expect(sorted(bySymmetry)).toEqual(sorted(plain));
        expect(sorted(bySleep)).toEqual(sorted(plain));
      }, 120_000);
    }
  }

  it('sleep sets on the default universe: the same states', () => {
    const world = new World(DEFAULT_UNIVERSE, { model: 'qemu-7.2' });
    const plain = reducedBfs(world);
    const bySleep = reducedBfs(world, { sleepSets: true });
    expect(new Set(bySleep.states.keys())).toEqual(new Set(plain.states.keys()));
    expect(bySleep.transitions).toBeLessThanOrEqual(plain.transitions);
  }, 120_000);

  it('the count back fails for a group the universe is not invariant under', () => {
    const lopsided: Universe = { ...THREE_NODES, commands: THREE_NODES.commands.filter((c) => !('chmod' in c && c.chmod[0].includes('n3'))) };
    const world = new World(lopsided, { model: 'qemu-7.2' });
    const wrong = symmetryOf(THREE_NODES, new World(THREE_NODES, { model: 'qemu-7.2' }))!;
    expect(reducedBfs(world, { symmetry: wrong }).represented).not.toBe(reducedBfs(world).states.size);
  }, 120_000);
});

/** Each planted bug, the universes whose plain search finds it (in QEMU 7.2), and the invariant it breaks. */
const MUTANTS: { name: string; variant: Omit<WorldOptions, 'model'>; universes: Universe[]; caughtBy: string }[] = [
  { name: 'a qcow2 that shares write on its file under a writer', variant: { driverPolicies: QCOW2_SHARES_WRITE }, universes: [THREE_NODES, TWO_CHAINS], caughtBy: 'child-perms-follow-driver' },
  // two-chains opens no image read-only that a writer then leaves: nothing to drop back
  { name: 'auto-read-only nodes that never drop back', variant: { nodeMachine: NEVER_DROPS_BACK }, universes: [THREE_NODES], caughtBy: 'fd-follows-writers' },
];

describe('planted bugs: the reduced searches find the same invariants broken', () => {
  for (const { name, variant, universes, caughtBy } of MUTANTS) {
    for (const universe of universes) {
      it(`${name}: ${universe.name} (qemu-7.2)`, () => {
        const world = new World(universe, { model: 'qemu-7.2', ...variant });
        const plain = sorted(reducedBfs(world));
        expect(plain).toContain(caughtBy);
        expect(sorted(reducedBfs(world, { symmetry: symmetryOf(universe, world)! }))).toEqual(plain);
        expect(sorted(reducedBfs(world, { sleepSets: true }))).toEqual(plain);
      }, 120_000);
    }
  }
});
