/**
 * The explorer at scale: the fingerprint store, bounds, checkpoints that resume to the same
 * result, and explorer threads that find what one thread finds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../src/check/checkpoint.js';
import { DEFAULT_UNIVERSE } from '../../src/check/default-universe.js';
import { explore, type LevelEnd } from '../../src/check/explore.js';
import { exploreParallel } from '../../src/check/explore-parallel.js';
import { FingerprintStore } from '../../src/check/fingerprint-store.js';
import { loadUniverse } from '../../src/check/universe.js';
import { hash64 } from '../../src/check/state-hash.js';
import { LevelSearch } from '../../src/check/level-search.js';
import { stateKey } from '../../src/check/state-key.js';
import { World, type WorldState } from '../../src/check/world.js';
import { cli } from '../support/cli.js';
import { reducedBfs } from '../../src/check/reduced-bfs.js';
import { symmetryOf } from '../../src/check/symmetry.js';
import { NEVER_DROPS_BACK, QCOW2_SHARES_WRITE } from './support/mutants.js';
import { CHAIN3, THREE_NODES, TWO_CHAINS, TWO_NODES_ADD_DEL } from './support/universes.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-scale-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the fingerprint store', () => {
  it('holds each fingerprint once, through growth and copies, shared or not', () => {
    const store = FingerprintStore.create(1024);
    const prints = Array.from({ length: 1000 }, (_, i) => hash64(`state ${i}`));
    for (const f of prints) expect(store.add(f)).toBe(true);
    expect(store.size).toBe(1000);
    expect(store.full).toBe(true);
    expect(() => store.add(hash64('one too many'))).not.toThrow();
    for (let i = 0; i < 23; i++) store.add(hash64(`more ${i}`));
    expect(() => store.add(hash64('no room'))).toThrow(/the fingerprint store is full/);
    const bigger = store.grown().copy(true);
    expect(bigger.shared).toBe(true);
    expect(bigger.size).toBe(1024);
    expect(bigger.full).toBe(false);
    for (const f of prints) expect(bigger.add(f)).toBe(false);
    expect(bigger.has(hash64('state 1000'))).toBe(false);
    expect(bigger.has({ hi: 0, lo: 0 })).toBe(false);
    expect([...bigger.entries()].length).toBe(1024);
  });
});

describe('bounds', () => {
  const world = new World(CHAIN3, { model: 'dynamic' });

  it('--max-states stops the search once the store holds that many', () => {
    const result = explore(world, { maxStates: 100 });
    expect(result).toMatchObject({ stopped: 'max-states', exhausted: false });
    expect(result.states).toBeGreaterThanOrEqual(100);
    expect(result.states).toBeLessThan(100 + CHAIN3.commands.length);
  });

  it('--time and --max-states stop a universe of over a million states, on threads and on one', async () => {
    const world = new World(loadUniverse('examples/universes/4layer.yaml'), { model: 'qemu-7.2' });
    expect(await exploreParallel(world, 2, { allowQuirks: true, timeMs: 300 })).toMatchObject({ stopped: 'time', exhausted: false });
    expect(await exploreParallel(world, 2, { allowQuirks: true, maxStates: 50 })).toMatchObject({ stopped: 'max-states', exhausted: false });
    expect(explore(world, { allowQuirks: true, timeMs: 300 })).toMatchObject({ stopped: 'time', exhausted: false });
  });

  it('--time stops it at its time', () => {
    let clock = 0;
    const result = explore(world, { timeMs: 10, now: () => (clock += 1) });
    expect(result.states).toBeLessThan(444);
    expect(result).toMatchObject({ stopped: 'time', exhausted: false });
  });
});

describe('checkpoints', () => {
  it('a search stopped by a bound and resumed from its checkpoint ends where an unbroken one does', () => {
    const world = new World(CHAIN3, { model: 'qemu-7.2' });
    const whole = explore(world, {});
    const file = join(scratch, 'chain3.checkpoint');
    const first = explore(world, { maxStates: 150, onLevel: (level: LevelEnd) => writeCheckpoint(file, CHAIN3, 'qemu-7.2', false, level) });
    expect(first.stopped).toBe('max-states');
    let resumed = readCheckpoint(file, CHAIN3, 'qemu-7.2', false);
    expect(resumed.store.size).toBe(first.states);
    // again, stopped at a level's end this time
    const second = explore(world, { resume: resumed, depth: resumed.depth + 2, checkpointEveryMs: 0, onLevel: (level: LevelEnd) => writeCheckpoint(file, CHAIN3, 'qemu-7.2', false, level) });
    expect(second.exhausted).toBe(false);
    resumed = readCheckpoint(file, CHAIN3, 'qemu-7.2', false);
    const last = explore(world, { resume: resumed });
    expect(last).toMatchObject({ exhausted: true, states: whole.states, transitions: whole.transitions });
    expect(last.found).toBeUndefined();
  });

  it('refuses a checkpoint of another universe or model, or a damaged one, in one line', () => {
    const file = join(scratch, 'default.checkpoint');
    explore(new World(DEFAULT_UNIVERSE, { model: 'dynamic' }), { maxStates: 20, onLevel: (level: LevelEnd) => writeCheckpoint(file, DEFAULT_UNIVERSE, 'dynamic', false, level) });
    expect(() => readCheckpoint(file, CHAIN3, 'dynamic', false)).toThrow(/made of another universe \(libvirt-chain\) than chain3/);
    expect(() => readCheckpoint(file, DEFAULT_UNIVERSE, 'qemu-7.2', false)).toThrow(/made with model dynamic, not qemu-7\.2/);
    expect(() => readCheckpoint(file, DEFAULT_UNIVERSE, 'dynamic', true)).toThrow(/made without symmetry reduction; resume it without it/);
    const junk = join(scratch, 'junk');
    writeFileSync(junk, 'hello\n');
    expect(() => readCheckpoint(junk, DEFAULT_UNIVERSE, 'dynamic', false)).toThrow(/not a permgraph checkpoint/);
  });

  it('permgraph check --time … --checkpoint, then --resume, covers the universe', async () => {
    const file = join(scratch, 'cli.checkpoint');
    const stopped = await cli('check', '--workers', '1', '--max-states', '50', '--checkpoint', file);
    expect(stopped.code).toBe(0);
    expect(stopped.out).toContain(`(stopped at --max-states 50)`);
    expect(stopped.out).toContain(`checkpoint written to ${file}; carry on with --resume ${file}`);
    const resumed = await cli('check', '--workers', '1', '--resume', file);
    expect(resumed.out).toMatch(/\n168 states, 2352 transitions, .*\(every reachable state visited\)/);
  });
});

describe('explorer threads', () => {
  it('--workers is refused beyond four threads a core, in one line', async () => {
    const { code, err } = await cli('check', '--workers', '100000', '--depth', '1');
    expect(code).toBe(2);
    expect(err).toMatch(/^permgraph: option '--workers <n>' argument '100000' is invalid\. a whole number of threads, from 1 to \d+\n$/);
  });

  it('visit the same states and make the same transitions as one thread', async () => {
    const world = new World(CHAIN3, { model: 'dynamic' });
    const one = explore(world, {});
    const two = await exploreParallel(world, 2, { handoff: 8 });
    expect(two).toMatchObject({ exhausted: true, states: one.states, transitions: one.transitions, depthReached: one.depthReached });
  }, 120_000);

  it('share each level out as they go, and still visit what one thread visits', async () => {
    for (const model of ['dynamic', 'qemu-7.2'] as const) {
      const world = new World(CHAIN3, { model });
      const one = explore(world, {});
      const three = await exploreParallel(world, 3, { handoff: 4, worthTaking: 2 });
      expect(three).toMatchObject({ exhausted: true, states: one.states, transitions: one.transitions, depthReached: one.depthReached });
    }
  }, 120_000);

  it('take states over by their paths, each shared prefix stepped once, in any order', () => {
    const world = new World(CHAIN3, { model: 'dynamic' });
    const search = new LevelSearch(world, FingerprintStore.create(1 << 12), { growable: true });
    search.seedInitial();
    for (let level = 0; level < 4; level++) search.expandLevel();
    const paths = search.pendingPaths().frontier;
    expect(paths.length).toBeGreaterThan(20);
    let steps = 0;
    const counting = Object.create(world, { step: { value: (state: WorldState, c: number) => (steps++, world.step(state, c)) } }) as World;
    const taker = new LevelSearch(counting, FingerprintStore.create(1 << 12));
    taker.adopt([...paths].reverse());
    const print = (s: WorldState): bigint => stateKey(s.graph, s.storage.key);
    const replayed = (path: readonly number[]): WorldState => path.reduce((s, c) => world.step(s, c).state, world.initial);
    expect(new Set(taker.frontier.map(print))).toEqual(new Set(paths.map((p) => print(replayed(p)))));
    expect(steps).toBeLessThan(paths.reduce((n, p) => n + p.length, 0) / 2);
  });

  it('report what one thread reports when the universe is too small to share out', async () => {
    const world = new World(CHAIN3, { model: 'qemu-7.2' });
    const one = explore(world, {});
    expect(await exploreParallel(world, 2, {})).toMatchObject({ exhausted: true, states: one.states, transitions: one.transitions, depthReached: one.depthReached });
  });

  it('find a violation with a shortest path, as one thread does', async () => {
    const universe = loadUniverse('test/model/fixtures/stream-leak.yaml');
    const world = new World(universe, { model: 'qemu-7.2' });
    const one = explore(world, {});
    const two = await exploreParallel(world, 2, { handoff: 1, worthTaking: 2 });
    expect(one.found?.path.length).toBe(2);
    expect(two.found?.path.length).toBe(one.found?.path.length);
    expect(two.found?.violations.map((v) => v.invariant)).toEqual(one.found?.violations.map((v) => v.invariant));
  }, 120_000);
});

describe('symmetry reduction in permgraph check', () => {
  for (const universe of [THREE_NODES, TWO_CHAINS, TWO_NODES_ADD_DEL]) {
    it(`visits one state of each orbit and counts every state of ${universe.name} (qemu-7.2)`, () => {
      const world = new World(universe, { model: 'qemu-7.2' });
      const plain = explore(world, {});
      const reduced = explore(world, { symmetry: true });
      const reference = reducedBfs(world, { symmetry: symmetryOf(universe, world)! });
      expect(plain.exhausted && reduced.exhausted).toBe(true);
      expect(reduced.states).toBe(reference.states.size);
      expect(reduced.states).toBeLessThan(plain.states);
      expect(reduced.symmetry?.statesUnreduced).toBe(plain.states);
    });
  }

  it('with explorer threads too', async () => {
    const world = new World(THREE_NODES, { model: 'dynamic' });
    const one = explore(world, { symmetry: true });
    const two = await exploreParallel(world, 2, { symmetry: true, handoff: 4 });
    expect(two).toMatchObject({ states: one.states, transitions: one.transitions, symmetry: one.symmetry });
  }, 120_000);

  it('is off where the universe has no symmetry', () => {
    expect(explore(new World(DEFAULT_UNIVERSE, { model: 'dynamic' }), { symmetry: true, depth: 2 }).symmetry).toBeUndefined();
  });
});

describe('sleep sets in permgraph check (--por)', () => {
  for (const universe of [THREE_NODES, TWO_CHAINS, TWO_NODES_ADD_DEL, CHAIN3]) {
    it(`visit every state of ${universe.name} in fewer transitions, or as many where nothing is independent (qemu-7.2)`, () => {
      const world = new World(universe, { model: 'qemu-7.2' });
      const plain = explore(world, {});
      const por = explore(world, { sleepSets: true });
      expect(por).toMatchObject({ exhausted: true, states: plain.states });
      expect(por.transitions).toBeLessThanOrEqual(plain.transitions);
      if (universe !== CHAIN3) expect(por.transitions).toBeLessThan(plain.transitions);
    });
  }

  it('find what the plain search finds, with the planted bugs', () => {
    for (const variant of [{ driverPolicies: QCOW2_SHARES_WRITE }, { nodeMachine: NEVER_DROPS_BACK }]) {
      const world = new World(THREE_NODES, { model: 'dynamic', ...variant });
      const caught = (found: ReturnType<typeof explore>['found']): string[] => found?.violations.map((v) => v.invariant) ?? [];
      expect(caught(explore(world, { sleepSets: true }).found)).toEqual(caught(explore(world, {}).found));
    }
  });

  it('is refused with a checkpoint, in one line', async () => {
    const { code, err } = await cli('check', '--por', '--checkpoint', join(scratch, 'x'));
    expect(code).toBe(2);
    expect(err).toBe('permgraph: --por keeps its sleep sets in memory: it takes no --checkpoint or --resume\n');
  });
});
