/**
 * Breadth-first exploration of every command sequence up to a depth: each state is keyed by its
 * canonical hash, so a state reached twice is explored once; every new state has its invariants
 * checked, and every refused command is checked to have changed nothing. Breadth-first, so the
 * first violation found has a shortest path.
 */
import { checkRefusedCommand, checkSnapshot, type Violation } from '../invariants/index.js';
import { stateKey } from './state-key.js';
import { commandLabel } from './universe.js';
import type { World, WorldState } from './world.js';

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** The level being explored (sequences of this many commands). */
  readonly depth: number;
  readonly elapsedMs: number;
}

export interface ExploreOptions {
  readonly depth: number;
  readonly onProgress?: (progress: Progress) => void;
  /** How often onProgress is told, in ms (default 100). */
  readonly progressEveryMs?: number;
  /** The clock (performance.now by default). */
  readonly now?: () => number;
  /** Go on past violations that are QEMU 7.2's own documented behaviour (marked `quirk`). */
  readonly allowQuirks?: boolean;
}

export interface Found {
  readonly violations: readonly Violation[];
  /** Command numbers of the universe, from the first state to the broken one. */
  readonly path: readonly number[];
}

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
}

/** A state to expand, and its id in the Search. */
interface Visit {
  readonly state: WorldState;
  readonly id: number;
}

/** An exploration under way: the states found so far, by id, and what it has counted. */
interface Search {
  readonly world: World;
  /** The violations that stop the search (quirks left out when they are allowed). */
  readonly real: (violations: readonly Violation[]) => readonly Violation[];
  readonly seen: Set<number>;
  /** For each state's id, the id of the state it was first reached from (-1 for the first). */
  readonly parent: number[];
  /** For each state's id, the command that reached it. */
  readonly via: number[];
  transitions: number;
  depthReached: number;
}

export function explore(world: World, options: ExploreOptions): ExploreResult {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const real = (violations: readonly Violation[]): readonly Violation[] =>
    options.allowQuirks ? violations.filter((v) => v.quirk === undefined) : violations;
  const search: Search = { world, real, seen: new Set(), parent: [-1], via: [-1], transitions: 0, depthReached: 0 };
  const result = (found?: Found, exhausted = false): ExploreResult => ({
    states: search.parent.length,
    transitions: search.transitions,
    depthReached: search.depthReached,
    exhausted,
    elapsedMs: now() - started,
    ...(found ? { found } : {}),
  });

  const atStart = startFrom(search);
  if (atStart) return result(atStart);
  const report = progressReporter(options, search, now, started);
  let frontier: Visit[] = [{ state: world.initial, id: 0 }];
  for (let depth = 1; depth <= options.depth && frontier.length; depth++) {
    const next: Visit[] = [];
    let expanded = 0;
    for (const visit of frontier) {
      const found = expand(search, visit, depth, next);
      if (found) return result(found);
      if (report && (++expanded & 15) === 0) report(depth);
    }
    frontier = next;
  }
  return result(undefined, frontier.length === 0);
}

/** The first state, marked seen; the violations it has already, if any. */
function startFrom(search: Search): Found | undefined {
  const first = search.world.initial;
  search.seen.add(stateKey(first.graph, first.storage.key));
  const atStart = search.real(checkSnapshot(first.graph, { storage: first.storage.storage }));
  return atStart.length ? { violations: atStart, path: [] } : undefined;
}

/** Tells onProgress how far the search has got, at most once every progressEveryMs; none without onProgress. */
function progressReporter(options: ExploreOptions, search: Search, now: () => number, started: number): ((depth: number) => void) | undefined {
  if (!options.onProgress) return undefined;
  const every = options.progressEveryMs ?? 100;
  let lastReport = started;
  return (depth) => {
    const t = now();
    if (t - lastReport < every) return;
    lastReport = t;
    options.onProgress?.({ states: search.parent.length, transitions: search.transitions, depth, elapsedMs: t - started });
  };
}

/**
 * Every command from one state: each new state it leads to is checked and put on `next`. The
 * first violation found (of a refused command, or of a new state) ends it.
 */
function expand(search: Search, { state, id }: Visit, depth: number, next: Visit[]): Found | undefined {
  const { world } = search;
  const commands = world.commands.length;
  for (let c = 0; c < commands; c++) {
    const stepped = world.step(state, c);
    search.transitions++;
    const to = stepped.state;
    // only a refusal can break that rule (its label is worth making only then)
    if (to !== state && stepped.reply && 'error' in stepped.reply && to.graph !== state.graph) {
      const refused = search.real(checkRefusedCommand(state.graph, to.graph, stepped.reply, commandLabel(world.commands[c]!)));
      if (refused.length) return { violations: refused, path: pathTo(search, id, c) };
    }
    if (to === state) continue;
    const key = stateKey(to.graph, to.storage.key, state.graph);
    if (search.seen.has(key)) continue;
    search.seen.add(key);
    const toId = search.parent.length;
    search.parent.push(id);
    search.via.push(c);
    search.depthReached = depth;
    const broken = search.real(checkSnapshot(to.graph, { storage: to.storage.storage }));
    if (broken.length) return { violations: broken, path: pathTo(search, toId) };
    next.push({ state: to, id: toId });
  }
  return undefined;
}

/** The commands that lead from the first state to state `id`, then `last` when given. */
function pathTo({ parent, via }: Search, id: number, last?: number): number[] {
  const path: number[] = last === undefined ? [] : [last];
  for (let at = id; parent[at]! >= 0; at = parent[at]!) path.push(via[at]!);
  return path.reverse();
}
