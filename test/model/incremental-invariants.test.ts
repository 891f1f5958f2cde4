/**
 * checkChanged(before, after) is checkSnapshot(after): over random command sequences, in every
 * model, with the clean code and with the planted bugs (so that checking only the changed part
 * still finds what they break, at the step that breaks it).
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { produce, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../machines/node.types.js';
import { loadUniverse, type Universe } from '../../src/check/universe.js';
import { World, type WorldOptions } from '../../src/check/world.js';
import { getShard } from '../../src/graph/shards.js';
import type { BlockNode, Edge, Graph } from '../../src/graph/types.js';
import { viewOf } from '../../src/invariants/view.js';
import { PERM_ALL } from '../../src/perms/perm.js';
import { checkChanged } from '../../src/invariants/incremental.js';
import { checkSnapshot, SNAPSHOT_INVARIANTS, type InvariantContext, type Violation } from '../../src/invariants/index.js';
import { NEVER_DROPS_BACK, QCOW2_SHARES_WRITE } from './support/mutants.js';
import { CHAIN2, CHAIN3 } from './support/universes.js';

const FOUR_LAYERS = loadUniverse(fileURLToPath(new URL('fixtures/4layer.yaml', import.meta.url)));

/** Every invariant on the whole snapshot, as checkSnapshot() runs them, without remembering anything. */
function wholeCheck(graph: Graph, context: InvariantContext): Violation[] {
  const out: Violation[] = [];
  for (const invariant of SNAPSHOT_INVARIANTS) {
    out.push(...invariant.check(graph, context));
    if (out.length && invariant.name === 'acyclic') break;
  }
  return out;
}

const VARIANTS: { name: string; variant: Omit<WorldOptions, 'model'> }[] = [
  { name: 'clean', variant: {} },
  { name: 'qcow2 shares write (driver policy)', variant: { driverPolicies: QCOW2_SHARES_WRITE } },
  { name: 'never drops back (node machine)', variant: { nodeMachine: NEVER_DROPS_BACK } },
];

/** Random sequences from the universe's first state, each step checked both ways; how many steps broke something. */
function compare(universe: Universe, options: WorldOptions, numRuns: number): { steps: number; broken: number } {
  const world = new World(universe, options);
  const tally = { steps: 0, broken: 0 };
  const start = world.initial;
  expect(checkSnapshot(start.graph, { storage: start.storage.storage })).toEqual(wholeCheck(start.graph, { storage: start.storage.storage }));
  const sequence = fc.array(fc.nat(world.commands.length - 1), { minLength: 1, maxLength: 14 });
  fc.assert(
    fc.property(sequence, (commands) => {
      let state = start;
      for (const index of commands) {
        const next = world.step(state, index).state;
        const context = { storage: next.storage.storage };
        // from the states checked so far by checkChanged() alone, as the explorer does
        expect(checkChanged(state.graph, next.graph, context)).toEqual(wholeCheck(next.graph, context));
        tally.steps++;
        if (wholeCheck(next.graph, context).length > 0) tally.broken++;
        state = next;
      }
    }),
    { numRuns, seed: 11 },
  );
  return tally;
}

describe('checkChanged() finds what checkSnapshot() finds', () => {
  for (const { name, variant } of VARIANTS) {
    for (const model of MODELS) {
      it(`${name} (${model})`, () => {
        const tallies = [CHAIN2, CHAIN3, FOUR_LAYERS].map((universe) => compare(universe, { model, ...variant }, 60));
        const broken = tallies.reduce((n, t) => n + t.broken, 0);
        // the planted bugs break invariants along the way, and the incremental check sees each break
        if (name !== 'clean') expect(broken).toBeGreaterThan(0);
      });
    }
  }

  it('finds what one changed edge or node breaks, where nothing else changed', () => {
    // one entry changed by hand (the rest shared): a parent edge's perms, a node's flags or its height
    const tamper = (g: Graph, pick: number, perm: number, shared: number, kind: number): Graph => {
      const { edges, nodes } = viewOf(g);
      if (kind === 2) {
        // a node standing as high as its parents: acyclic reads it from the parent
        const node = nodes[pick % nodes.length]!;
        return produce(g, (d) => void ((getShard(d.nodes as Graph['nodes'], node.name) as Draft<BlockNode>).height += 100));
      }
      if (kind === 1) {
        const node = nodes[pick % nodes.length]!;
        return produce(g, (d) => {
          const n = getShard(d.nodes as Graph['nodes'], node.name) as Draft<BlockNode>;
          n.readOnly = !n.readOnly;
          if (n.file) n.file.mode = n.file.mode === 'O_RDWR' ? 'O_RDONLY' : 'O_RDWR';
        });
      }
      const edge = edges[pick % edges.length]!;
      return produce(g, (d) => {
        const e = getShard(d.edges as Graph['edges'], String(edge.id)) as Draft<Edge>;
        e.perm = perm;
        e.shared = shared;
      });
    };
    for (const model of MODELS) {
      const world = new World(FOUR_LAYERS, { model });
      let broken = 0;
      fc.assert(
        fc.property(fc.array(fc.nat(world.commands.length - 1), { maxLength: 8 }), fc.nat(), fc.nat(PERM_ALL), fc.nat(PERM_ALL), fc.nat(2), (commands, pick, perm, shared, kind) => {
          let state = world.initial;
          for (const index of commands) state = world.step(state, index).state;
          const context = { storage: state.storage.storage };
          checkSnapshot(state.graph, context);
          const after = tamper(state.graph, pick, perm, shared, kind);
          const whole = wholeCheck(after, context);
          if (whole.length > 0) broken++;
          expect(checkChanged(state.graph, after, context)).toEqual(whole);
        }),
        { numRuns: 150, seed: 5 },
      );
      expect(broken).toBeGreaterThan(0);
    }
  });

  it('without what the invariants found on the snapshot before, checks the whole snapshot', () => {
    const world = new World(CHAIN2, { model: 'qemu-7.2' });
    const next = world.step(world.initial, 0).state;
    const context = { storage: next.storage.storage };
    // a snapshot no check has seen: a copy of the first one
    expect(checkChanged({ ...world.initial.graph }, next.graph, context)).toEqual(wholeCheck(next.graph, context));
  });
});
