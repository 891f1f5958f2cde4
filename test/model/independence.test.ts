/**
 * The footprints are conservative: over every reachable state of small universes, for every pair
 * of commands called independent there, both orders lead to the same state, and each is refused
 * (with the same reply, and the same verdict on whether the refusal changed the graph) after the
 * other exactly when it is refused before it. This is what the sleep sets rest on.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE } from '../../src/check/default-universe.js';
import { footprint, independenceAt, independent, type Independence } from '../../src/check/independence.js';
import { canonicalText, reducedBfs } from '../../src/check/reduced-bfs.js';
import { stateKey } from '../../src/check/state-key.js';
import { loadUniverse, type Universe } from '../../src/check/universe.js';
import { World, type Stepped, type WorldState } from '../../src/check/world.js';
import type { Model } from '../../src/graph/types.js';
import { graphDifference } from '../../src/invariants/deep-equal.js';
import { THREE_NODES, TWO_CHAINS, TWO_NODES_ADD_DEL } from './support/universes.js';

const NBD_CHAIN = loadUniverse(fileURLToPath(new URL('../../examples/universes/nbd-chain.yaml', import.meta.url)));

/**
 * A state's identity: its fragments, generated names canonical, as a multiset, which is what
 * stateKey() sums. (stateText() sorts its fragments before renaming generated names, so two
 * generated nodes made in the other order can leave it with the same lines in another order.)
 */
const text = (s: WorldState): string => canonicalText(s);
const key = (s: WorldState): bigint => stateKey(s.graph, s.storage.key);
const refusal = (from: WorldState, stepped: Stepped): string =>
  stepped.reply && 'error' in stepped.reply ? `${stepped.reply.error.desc}|${graphDifference(from.graph, stepped.state.graph) === null}` : 'ok';

interface Tally {
  states: number;
  pairs: number;
  independentPairs: number;
  broken: string[];
}

/** Every pair called independent at every state: the same state both ways, the same refusals. */
function checkUniverse(universe: Universe, model: Model, calls: (ind: Independence, a: number, b: number) => boolean = (ind, a, b) => ind.independent(a, b)): Tally {
  const world = new World(universe, { model });
  const { states } = reducedBfs(world);
  const n = world.commands.length;
  const tally: Tally = { states: states.size, pairs: 0, independentPairs: 0, broken: [] };
  for (const s of states.values()) {
    const ind = independenceAt(world, s);
    const once = world.commands.map((_, c) => world.step(s, c));
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        tally.pairs++;
        if (!calls(ind, a, b)) continue;
        tally.independentPairs++;
        const ab = world.step(once[a]!.state, b);
        const ba = world.step(once[b]!.state, a);
        const where = `${a},${b} at ${text(s).slice(0, 80)}`;
        if (text(ab.state) !== text(ba.state) || key(ab.state) !== key(ba.state)) tally.broken.push(`not commuting: ${where}`);
        if (refusal(s, once[a]!) !== refusal(once[b]!.state, ba)) tally.broken.push(`refusal of ${a} changed by ${b}: ${where}`);
        if (refusal(s, once[b]!) !== refusal(once[a]!.state, ab)) tally.broken.push(`refusal of ${b} changed by ${a}: ${where}`);
      }
    }
  }
  return tally;
}

describe('footprints', () => {
  const world = new World(THREE_NODES, { model: 'qemu-7.2' });
  const index = (label: (c: string) => boolean): number => world.commands.findIndex((c) => label(JSON.stringify(c)));
  const add1 = index((c) => c.includes('block-export-add') && c.includes('"n1"'));
  const add2 = index((c) => c.includes('block-export-add') && c.includes('"n2"'));
  const chmod1 = index((c) => c.includes('chmod') && c.includes('n1.qcow2'));
  const del1 = index((c) => c.includes('block-export-del') && c.includes('"e1"'));

  it('commands on separate nodes are independent; on one node, or one export, they are not', () => {
    const s = world.initial;
    expect(independent(footprint(world, s, add1), footprint(world, s, add2))).toBe(true);
    expect(independent(footprint(world, s, add1), footprint(world, s, chmod1))).toBe(false);
    // no export e1 yet: its deletion still meets the command that makes it, by name
    expect(independent(footprint(world, s, add1), footprint(world, s, del1))).toBe(false);
  });

  it('global commands and the clock: nbd-server-stop meets everything; advance meets what starts a job', () => {
    const chains = new World(TWO_CHAINS, { model: 'qemu-7.2' });
    const find = (what: string): number => chains.commands.findIndex((c) => JSON.stringify(c).includes(what));
    const ind = independenceAt(chains, chains.initial);
    const advance = chains.commands.findIndex((c) => 'advance' in c);
    expect(ind.independent(advance, find('"left-exp","node-name"'))).toBe(true);
    expect(ind.independent(advance, find('"job-id":"left-job"'))).toBe(false);
    const started = chains.step(chains.initial, find('"job-id":"left-job"')).state;
    const after = independenceAt(chains, started);
    expect(after.independent(advance, find('"left-exp","node-name"'))).toBe(false);
    expect(after.independent(advance, find('"right-exp","node-name"'))).toBe(true);
    const stop = new World({ ...THREE_NODES, commands: [...THREE_NODES.commands, { execute: 'nbd-server-stop' }] }, { model: 'qemu-7.2' });
    expect(footprint(stop, stop.initial, stop.commands.length - 1).all).toBe(true);
  });
});

describe('independent commands commute, and leave each other’s refusals as they were', () => {
  const cases: [string, Universe, Model][] = [
    ['three nodes', THREE_NODES, 'qemu-7.2'],
    ['three nodes', THREE_NODES, 'qemu-10.0'],
    ['two chains with jobs', TWO_CHAINS, 'qemu-7.2'],
    ['two chains with jobs', TWO_CHAINS, 'dynamic'],
    ['the default universe', DEFAULT_UNIVERSE, 'qemu-7.2'],
    ['two nodes deleted and added again', TWO_NODES_ADD_DEL, 'qemu-7.2'],
    ['an NBD-backed chain, its server restarted', NBD_CHAIN, 'qemu-7.2'],
    ['an NBD-backed chain, its server restarted', NBD_CHAIN, 'dynamic'],
  ];
  for (const [name, universe, model] of cases) {
    it(`${name} (${model})`, () => {
      const tally = checkUniverse(universe, model);
      expect(tally.broken.slice(0, 5)).toEqual([]);
      if (universe === THREE_NODES || universe === TWO_CHAINS || universe === TWO_NODES_ADD_DEL) expect(tally.independentPairs).toBeGreaterThan(tally.pairs / 5);
      expect(tally.states).toBeGreaterThan(20);
    }, 120_000);
  }
});

describe('the check can fail', () => {
  it('calling every two commands independent is caught in the default universe', () => {
    const tally = checkUniverse(DEFAULT_UNIVERSE, 'qemu-7.2', () => true);
    expect(tally.broken.some((b) => b.startsWith('not commuting'))).toBe(true);
    expect(tally.broken.some((b) => b.startsWith('refusal of'))).toBe(true);
  }, 120_000);

  it('an advance that ignored the jobs already running is caught in two chains', () => {
    const chains = new World(TWO_CHAINS, { model: 'qemu-7.2' });
    const advance = chains.commands.findIndex((c) => 'advance' in c);
    const startsJob = (c: number): boolean => JSON.stringify(chains.commands[c]).includes('job-id');
    const tally = checkUniverse(TWO_CHAINS, 'qemu-7.2', (ind, a, b) => ind.independent(a, b) || ((a === advance || b === advance) && !startsJob(a) && !startsJob(b)));
    expect(tally.broken.length).toBeGreaterThan(0);
  }, 120_000);
});
