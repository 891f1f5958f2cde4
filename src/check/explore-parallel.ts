/**
 * The breadth-first search of explore.ts on several threads. The first levels are explored here,
 * alone; once a level holds enough states to share, explorer threads (explore-worker.ts) take
 * them over, each its share of the level. All claim states in one fingerprint store in shared
 * memory: a state belongs to the thread that put its fingerprint there first, and that thread
 * expands it on the next level, unless a thread that has run out takes it over first
 * (level-sharing.ts). Between levels the coordinator moves states (by their paths) from threads
 * with more to threads with fewer, grows the store before it fills, and writes checkpoints. A
 * level ends on every thread before the next begins, so the first violation found still has a
 * shortest path.
 */
import { availableParallelism } from 'node:os';
import { FingerprintStore } from './fingerprint-store.js';
import { isPause, LevelSearch } from './level-search.js';
import { ExplorerThread } from './explorer-thread.js';
import { rebalance } from './rebalance.js';
import { shareLevel } from './level-sharing.js';
import { reductionsFor, type Reductions } from './reductions.js';
import { begin, progressReporter, type ExploreOptions, type ExploreResult, type Found, type LevelEnd, type Stop } from './explore.js';
import type { World } from './world.js';

/** A level this big is worth sharing out. */
const HANDOFF = 256;

export const defaultWorkers = (): number => availableParallelism();

export interface ParallelOptions extends ExploreOptions {
  /** Share a level out once it holds this many states per thread (default 256). */
  readonly handoff?: number;
  /** A thread that has run out takes over states from one with at least this many left (default 32). */
  readonly worthTaking?: number;
}

export async function exploreParallel(world: World, workers: number, options: ParallelOptions = {}): Promise<ExploreResult> {
  if (world.options.nodeMachine || world.options.driverPolicies) throw new Error('explorer threads build their own World: variants of the runtime explore on one thread');
  const started = Date.now() - (options.resume?.elapsedMs ?? 0);
  const maxDepth = options.depth ?? Infinity;
  const deadline = options.timeMs === undefined ? undefined : started + options.timeMs;
  let store = options.resume?.store ?? FingerprintStore.create(FingerprintStore.slotsFor(4096), true);
  if (!store.shared) store = store.copy(true);
  // the first levels, here
  const reductions = reductionsFor(world, options.symmetry === true);
  let depth = options.resume?.depth ?? 0;
  let depthReached = depth;
  const tick = progressReporter(options, () => alone, Date.now, started);
  const alone: LevelSearch = new LevelSearch(world, store, {
    growable: true,
    ...(options.allowQuirks ? { allowQuirks: true } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    onTick: () => {
      tick?.(depth);
      return deadline !== undefined && Date.now() >= deadline ? 'time' : undefined;
    },
  }, reductions.fingerprint);
  const finish = (exhausted: boolean, extra: { found?: Found; stopped?: Stop } = {}): ExploreResult => ({
    states: store.size,
    transitions: alone.transitions,
    depthReached,
    exhausted,
    elapsedMs: Date.now() - started,
    storeBytes: store.slots * 9,
    ...symmetryFigures(reductions, (options.resume?.represented ?? 0) + alone.represented),
    ...extra,
  });
  const atStart = begin(alone, options.resume);
  if (atStart) return finish(false, { found: atStart });
  while (depth < maxDepth && alone.frontier.length > alone.cursor && alone.frontier.length - alone.cursor + alone.next.length < (options.handoff ?? HANDOFF) * workers) {
    const outcome = alone.expandLevel();
    store = alone.store;
    if (alone.next.length || (!outcome.stopped && alone.frontier.length)) depthReached = depth + 1;
    if (outcome.found) return finish(false, { found: outcome.found });
    if (outcome.stopped && !isPause(outcome.stopped)) {
      const represented = (options.resume?.represented ?? 0) + alone.represented;
      options.onLevel?.({ depth, store, transitions: alone.transitions, represented, elapsedMs: Date.now() - started, pending: alone.pendingPaths() });
      return finish(false, { stopped: outcome.stopped });
    }
    depth++;
  }
  if (depth >= maxDepth || alone.frontier.length === alone.cursor) return finish(alone.frontier.length === alone.cursor);
  const start = { store, depth, transitions: alone.transitions, represented: (options.resume?.represented ?? 0) + alone.represented, started, deadline, reductions };
  return new Coordinator(world, workers, options, start).run(alone.pendingPaths());
}

const symmetryFigures = (reductions: Reductions, represented: number): Pick<ExploreResult, 'symmetry'> =>
  reductions.fingerprint ? { symmetry: { group: reductions.symmetry, statesUnreduced: represented } } : {};

interface Start {
  readonly store: FingerprintStore;
  readonly depth: number;
  readonly transitions: number;
  readonly represented: number;
  readonly started: number;
  readonly reductions: Reductions;
  readonly deadline: number | undefined;
}

class Coordinator {
  private readonly threads: ExplorerThread[];
  private readonly halt = new SharedArrayBuffer(4);
  private store: FingerprintStore;
  private depth: number;
  private readonly baseTransitions: number;
  private lastCheckpoint = Date.now();

  constructor(
    world: World,
    workers: number,
    private readonly options: ParallelOptions,
    private readonly start: Start,
  ) {
    this.store = start.store;
    this.depth = start.depth;
    this.baseTransitions = start.transitions;
    const init = {
      universe: world.universe,
      model: world.options.model,
      store: this.store.buffers,
      halt: this.halt,
      symmetry: start.reductions.fingerprint !== undefined,
      ...(options.allowQuirks ? { allowQuirks: true } : {}),
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(start.deadline !== undefined ? { deadline: start.deadline } : {}),
    };
    this.threads = Array.from({ length: workers }, () => new ExplorerThread(init));
  }

  async run(pending: { frontier: number[][]; next: number[][] }): Promise<ExploreResult> {
    const progress = this.options.onProgress ? setInterval(() => this.report(), this.options.progressEveryMs ?? 100) : undefined;
    try {
      await Promise.all(this.threads.map((t, i) => t.adopt(pending.frontier.filter((_, k) => k % this.threads.length === i), 'frontier')));
      await Promise.all(this.threads.map((t, i) => t.adopt(pending.next.filter((_, k) => k % this.threads.length === i), 'next')));
      return await this.levels();
    } finally {
      if (progress) clearInterval(progress);
      await Promise.all(this.threads.map((t) => t.stop()));
    }
  }

  private async levels(): Promise<ExploreResult> {
    const maxDepth = this.options.depth ?? Infinity;
    let depthReached = this.depth;
    while (this.depth < maxDepth && this.queued() > 0) {
      const { found, stopped } = await shareLevel(this.threads, new Int32Array(this.halt), () => this.grow(), this.options.worthTaking);
      if (this.threads.some((t) => t.nextStates > 0) || found) depthReached = this.depth + 1;
      if (found) return this.result(depthReached, false, { found });
      if (stopped) {
        await this.checkpoint(true);
        return this.result(depthReached, false, { stopped });
      }
      await Promise.all(this.threads.map((t) => t.nextLevel()));
      this.depth++;
      await this.checkpoint(false);
      await rebalance(this.threads);
      // a level is mostly bigger than the last: grown now, the store need not stop the next one
      if (this.store.filling) await this.grow();
    }
    return this.result(depthReached, this.queued() === 0);
  }

  private async grow(): Promise<void> {
    this.store = this.store.grown();
    await Promise.all(this.threads.map((t) => t.useStore(this.store.buffers)));
  }

  private queued(): number {
    return this.threads.reduce((n, t) => n + t.waiting, 0);
  }

  private report(): void {
    const queue = this.threads.reduce((n, t) => n + t.queue, 0);
    this.options.onProgress?.({ states: this.store.size, transitions: this.transitions(), depth: this.depth + 1, queue, elapsedMs: Date.now() - this.start.started });
  }

  private represented(): number {
    return this.start.represented + this.threads.reduce((n, t) => n + t.represented, 0);
  }

  private transitions(): number {
    return this.baseTransitions + this.threads.reduce((n, t) => n + t.transitions, 0);
  }

  /** Tells onLevel where the search stands, when one is due (always when a bound stopped it). */
  private async checkpoint(stopping: boolean): Promise<void> {
    const { onLevel, checkpointEveryMs } = this.options;
    if (!onLevel || (!stopping && Date.now() - this.lastCheckpoint < (checkpointEveryMs ?? 0))) return;
    this.lastCheckpoint = Date.now();
    const all = await Promise.all(this.threads.map((t) => t.pending()));
    const level: LevelEnd = {
      depth: this.depth,
      store: this.store,
      transitions: this.transitions(),
      represented: this.represented(),
      elapsedMs: Date.now() - this.start.started,
      pending: { frontier: all.flatMap((p) => p.frontier), next: all.flatMap((p) => p.next) },
    };
    onLevel(level);
  }

  private result(depthReached: number, exhausted: boolean, extra: { found?: Found; stopped?: Stop } = {}): ExploreResult {
    return {
      states: this.store.size,
      transitions: this.transitions(),
      depthReached,
      exhausted,
      elapsedMs: Date.now() - this.start.started,
      storeBytes: this.store.slots * 9,
      ...symmetryFigures(this.start.reductions, this.represented()),
      ...extra,
    };
  }
}
