/**
 * Breadth-first exploration of every command sequence of a universe, on one thread: each state is
 * known by its 64-bit fingerprint (the fingerprint store), so a state reached twice is explored
 * once; every new state has its invariants checked, and every refused command is checked to have
 * changed nothing. Level by level, so the first violation found has a shortest path. Bounds: the
 * depth, a number of states, a time; a run stopped by a bound can be resumed from its checkpoint
 * (checkpoint.ts). explore-parallel.ts runs the same search on several threads.
 */
import { FingerprintStore } from './fingerprint-store.js';
import { isPause, LevelSearch, type Found, type Stop } from './level-search.js';
import { reductionsFor } from './reductions.js';
import { SleepSets } from './sleep-sets.js';
import type { World } from './world.js';

export type { Found, Stop } from './level-search.js';

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** The level being explored (sequences of this many commands). */
  readonly depth: number;
  /** States found and not yet expanded. */
  readonly queue: number;
  readonly elapsedMs: number;
}

export interface ExploreOptions {
  /** The longest command sequence explored (default: no bound). */
  readonly depth?: number;
  /** Stop once this many distinct states are known. */
  readonly maxStates?: number;
  /** Stop after this many ms. */
  readonly timeMs?: number;
  readonly onProgress?: (progress: Progress) => void;
  /** How often onProgress is told, in ms (default 100). */
  readonly progressEveryMs?: number;
  /** The clock (performance.now by default). */
  readonly now?: () => number;
  /** Go on past violations that are QEMU's own documented behaviour (marked `quirk`). */
  readonly allowQuirks?: boolean;
  /** Called at the end of a level (for checkpoints) at most once every checkpointEveryMs, and when a bound stops the search. */
  readonly onLevel?: (level: LevelEnd) => void;
  readonly checkpointEveryMs?: number;
  /** Carry on from a checkpoint. */
  readonly resume?: Resume;
  /** Count states up to the universe's symmetry group, when it has one (symmetry.ts). */
  readonly symmetry?: boolean;
  /** Skip commands by sleep sets (sleep-sets.ts): fewer transitions, the same states; not with symmetry, a checkpoint or threads. */
  readonly sleepSets?: boolean;
}

/** Where a search stands between levels (or where a bound stopped it). */
export interface LevelEnd {
  /** Levels fully explored. */
  readonly depth: number;
  readonly store: FingerprintStore;
  readonly transitions: number;
  /** The states found so far stand for this many (more than found with symmetry reduction). */
  readonly represented: number;
  readonly elapsedMs: number;
  /** Paths of the states of level depth+1 not yet expanded, and of states already found on the level after. */
  readonly pending: { readonly frontier: readonly (readonly number[])[]; readonly next: readonly (readonly number[])[] };
}

export type Resume = Omit<LevelEnd, 'elapsedMs'> & { readonly elapsedMs: number };

export interface ExploreResult {
  /** Distinct states seen (the first one included). */
  readonly states: number;
  readonly transitions: number;
  /** The longest sequence that still led to a new state. */
  readonly depthReached: number;
  /** True when no new state was left to explore within the depth: the reachable space is covered. */
  readonly exhausted: boolean;
  readonly elapsedMs: number;
  readonly found?: Found;
  /** The bound that stopped the search, if one did. */
  readonly stopped?: Stop;
  /** Bytes of the fingerprint store. */
  readonly storeBytes: number;
  /** With symmetry reduction: the size of the group, and the states the orbits visited hold (the count without it). */
  readonly symmetry?: { readonly group: number; readonly statesUnreduced: number };
}

export function explore(world: World, options: ExploreOptions = {}): ExploreResult {
  const now = options.now ?? (() => performance.now());
  const started = now() - (options.resume?.elapsedMs ?? 0);
  const maxDepth = options.depth ?? Infinity;
  const store = options.resume?.store ?? FingerprintStore.create(FingerprintStore.slotsFor(4096));
  const tick = progressReporter(options, () => search, now, started);
  const deadline = started + (options.timeMs ?? Infinity);
  if (options.sleepSets && (options.symmetry || options.resume || options.onLevel)) throw new Error('sleep sets go with no symmetry reduction, checkpoint or resume');
  const reductions = reductionsFor(world, options.symmetry === true);
  const search: LevelSearch = new LevelSearch(world, store, {
    growable: true,
    ...(options.allowQuirks ? { allowQuirks: true } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.sleepSets ? { sleepSets: new SleepSets(world) } : {}),
    onTick: () => {
      tick?.(depth);
      return now() >= deadline ? 'time' : undefined;
    },
  }, reductions.fingerprint);
  let depth = options.resume?.depth ?? 0;
  let depthReached = depth;
  const represented = (): number => (options.resume?.represented ?? 0) + search.represented;
  const result = (outcome: { found?: Found; stopped?: Stop }, exhausted: boolean): ExploreResult => ({
    states: search.store.size,
    transitions: search.transitions,
    depthReached,
    exhausted,
    elapsedMs: now() - started,
    storeBytes: search.store.slots * 9,
    ...(reductions.fingerprint ? { symmetry: { group: reductions.symmetry, statesUnreduced: represented() } } : {}),
    ...outcome,
  });
  let lastCheckpoint = now();
  const checkpoint = (stopping: boolean): void => {
    if (!options.onLevel || (!stopping && now() - lastCheckpoint < (options.checkpointEveryMs ?? 0))) return;
    lastCheckpoint = now();
    options.onLevel({ depth, store: search.store, transitions: search.transitions, represented: represented(), elapsedMs: now() - started, pending: search.pendingPaths() });
  };
  const atStart = begin(search, options.resume);
  if (atStart) return result({ found: atStart }, false);
  while (depth < maxDepth && search.frontier.length > search.cursor) {
    const outcome = search.expandLevel();
    if (isPause(outcome.stopped)) continue; // not on one thread: its store grows as it goes, and it gives nothing away
    if (search.next.length || (!outcome.stopped && search.frontier.length)) depthReached = depth + 1;
    if (outcome.found) return result({ found: outcome.found }, false);
    if (outcome.stopped) {
      checkpoint(true);
      return result({ stopped: outcome.stopped }, false);
    }
    depth++;
    checkpoint(false);
  }
  return result({}, search.frontier.length === search.cursor);
}

/** The first state, or where a checkpoint left off; the violations the first state has already, if any. */
export function begin(search: LevelSearch, resume: Resume | undefined): Found | undefined {
  if (!resume) return search.seedInitial();
  search.transitions = resume.transitions;
  search.adopt(resume.pending.frontier);
  search.adopt(resume.pending.next, 'next');
  return undefined;
}

/** Tells onProgress how far the search has got, at most once every progressEveryMs; none without onProgress. */
export function progressReporter(options: ExploreOptions, search: () => LevelSearch, now: () => number, started: number): ((depth: number) => void) | undefined {
  const { onProgress } = options;
  if (!onProgress) return undefined;
  const every = options.progressEveryMs ?? 100;
  let lastReport = started;
  return (depth) => {
    const t = now();
    if (t - lastReport < every) return;
    lastReport = t;
    const s = search();
    onProgress({ states: s.store.size, transitions: s.transitions, depth: depth + 1, queue: s.frontier.length - s.cursor + s.next.length, elapsedMs: t - started });
  };
}
