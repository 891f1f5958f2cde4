/**
 * Leaked backends counted once: in the QEMU models a refused block-stream leaves its BlockBackend
 * on the device node, one more each time. The state's identity keeps identical leaked backends
 * once (docs/testing.md, "Leaked backends"); here the two states, one leak and two, are checked
 * to answer every command sequence alike, step by step, and to be one state to the explorer.
 */
import { describe, expect, it } from 'vitest';
import { foldable } from '../../src/check/canonical-names.js';
import { explore } from '../../src/check/explore.js';
import { stateKey, stateText } from '../../src/check/state-key.js';
import { stateSections } from '../../src/check/symmetry-text.js';
import { loadUniverse, type Universe } from '../../src/check/universe.js';
import { World, type WorldState } from '../../src/check/world.js';
import { isLeaked, leakedBy } from '../../src/graph/graph.js';
import type { Backend } from '../../src/graph/types.js';
import { checkSnapshot } from '../../src/invariants/index.js';
import { viewOf } from '../../src/invariants/view.js';
import { Perm } from '../../src/perms/perm.js';

const universe = loadUniverse('examples/universes/4layer.yaml');
const world = new World(universe, { model: 'qemu-7.2' });
const index = (text: string): number => world.commands.findIndex((c) => JSON.stringify(c).includes(text));
const [reopenB0, exportW0, stream] = ['"node-name":"b0","file":"b0-file","backing":null,"read-only":false', '"id":"w0","node-name":"b0"', '"block-stream"'].map(index) as [number, number, number];
const leaks = (s: WorldState): number => viewOf(s.graph).backends.filter(isLeaked).length;
const key = (s: WorldState): bigint => stateKey(s.graph, s.storage.key);

/** The state after a stream refused `times` times, with b0 written by an export (so the stream's base is busy). */
function leakedTimes(times: number): WorldState {
  let state = world.step(world.step(world.initial, reopenB0).state, exportW0).state;
  for (let i = 0; i < times; i++) {
    const stepped = world.step(state, stream);
    expect(stepped.reply && 'error' in stepped.reply).toBe(true);
    state = stepped.state;
  }
  return state;
}

describe('leaked backends', () => {
  const once = leakedTimes(1);
  const twice = leakedTimes(2);

  it('a second refused stream leaves a second backend, and the state is the same one to the explorer', () => {
    expect([leaks(once), leaks(twice)]).toEqual([1, 2]);
    expect(key(twice)).toBe(key(once));
    expect(stateText(twice.graph, twice.storage.key)).toBe(stateText(once.graph, once.storage.key));
    expect(stateSections(twice)).toEqual(stateSections(once));
    // and not the same as with none: one leak is kept
    expect(key(once)).not.toBe(key(leakedTimes(0)));
  });

  it('one leak and two answer every sequence of two commands alike: same replies, same states, same invariants broken', () => {
    const invariants = (s: WorldState): string[] => checkSnapshot(s.graph, { storage: s.storage.storage }).map((v) => v.invariant);
    let pairs: [WorldState, WorldState][] = [[once, twice]];
    for (let depth = 0; depth < 2; depth++) {
      const next: [WorldState, WorldState][] = [];
      for (const [a, b] of pairs) {
        for (let c = 0; c < world.commands.length; c++) {
          const [x, y] = [world.step(a, c), world.step(b, c)];
          expect(JSON.stringify(y.reply)).toBe(JSON.stringify(x.reply));
          expect(key(y.state)).toBe(key(x.state));
          expect(invariants(y.state)).toEqual(invariants(x.state));
          next.push([x.state, y.state]);
        }
      }
      pairs = next;
    }
  });

  it('only a leaked backend that shares what it takes is folded: two copies of one that does not would conflict', () => {
    const leaked: Backend = { id: 1, name: '', owner: { kind: 'internal', purpose: leakedBy('block-stream s1') }, perm: Perm.CONSISTENT_READ, shared: Perm.CONSISTENT_READ, edge: 1 } as Backend;
    expect(foldable(leaked)).toBe(true);
    expect(foldable({ ...leaked, perm: Perm.WRITE })).toBe(false);
    expect(foldable({ ...leaked, owner: { kind: 'internal', purpose: 'block_resize' } })).toBe(false);
    expect(foldable({ ...leaked, owner: { kind: 'job', id: 's1' } })).toBe(false);
  });

  it('past the quirk, a stream refused again and again leads nowhere new: the space ends', () => {
    const commands = universe.commands;
    const streamOnly: Universe = { ...universe, start: [...universe.start, commands[reopenB0]!, commands[exportW0]!], commands: [commands[stream]!] };
    const result = explore(new World(streamOnly, { model: 'qemu-7.2' }), { allowQuirks: true, depth: 10 });
    expect(result).toMatchObject({ states: 2, exhausted: true });
    expect(result.found).toBeUndefined();
  });
});
