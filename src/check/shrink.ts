/**
 * Shrinking a counterexample: given a path through a universe that breaks an invariant, drop
 * commands while the shorter path, replayed from the world's first state, still breaks one of the
 * same invariants. A breadth-first search already finds a shortest path; this is for paths found
 * otherwise (a random walk, a depth-first or parallel search, a path written by hand), and makes
 * each of them 1-minimal: no single command, nor any pair, can be dropped.
 *
 * The replay checks what the explorer checks (src/check/explore.ts): every refused command that
 * changed the graph (checkRefusedCommand) and every state a command leads to (checkSnapshot).
 */
import { checkRefusedCommand, checkSnapshot, type InvariantName, type Violation } from '../invariants/index.js';
import { commandLabel } from './universe.js';
import type { World, WorldState } from './world.js';

export interface ShrinkOptions {
  /** Violations QEMU shows itself (marked `quirk`) do not count, as with explore's allowQuirks. */
  readonly allowQuirks?: boolean;
}

/** The violations of one replayed command: the refusal's, then the new state's. */
function stepViolations(world: World, from: WorldState, index: number): { to: WorldState; violations: Violation[] } {
  const stepped = world.step(from, index);
  const to = stepped.state;
  const violations: Violation[] = [];
  if (stepped.reply && 'error' in stepped.reply && to.graph !== from.graph) {
    violations.push(...checkRefusedCommand(from.graph, to.graph, stepped.reply, commandLabel(world.commands[index]!)));
  }
  if (to !== from) violations.push(...checkSnapshot(to.graph, { storage: to.storage.storage }));
  return { to, violations };
}

/**
 * How many commands of `path` it takes to break one of `invariants`, replayed from the world's
 * first state (0 when the first state breaks one already), or -1 when the path breaks none.
 */
export function breaksAfter(world: World, path: readonly number[], invariants: ReadonlySet<InvariantName>, options: ShrinkOptions = {}): number {
  const counts = (v: Violation): boolean => invariants.has(v.invariant) && !(options.allowQuirks && v.quirk !== undefined);
  let state = world.initial;
  if (checkSnapshot(state.graph, { storage: state.storage.storage }).some(counts)) return 0;
  for (let i = 0; i < path.length; i++) {
    const { to, violations } = stepViolations(world, state, path[i]!);
    if (violations.some(counts)) return i + 1;
    state = to;
  }
  return -1;
}

/** The path without the commands at `drop` (positions), cut after the command that breaks an invariant; undefined if it breaks none. */
function attempt(world: World, path: readonly number[], drop: ReadonlySet<number>, invariants: ReadonlySet<InvariantName>, options: ShrinkOptions): number[] | undefined {
  const candidate = path.filter((_, i) => !drop.has(i));
  const after = breaksAfter(world, candidate, invariants, options);
  return after < 0 ? undefined : candidate.slice(0, after);
}

/** Drops runs of `size` commands, at every offset, as long as one can go; the path it ends with. */
function dropRuns(world: World, start: number[], size: number, invariants: ReadonlySet<InvariantName>, options: ShrinkOptions): number[] {
  let path = start;
  for (let at = path.length - size; at >= 0; at--) {
    const drop = new Set(Array.from({ length: size }, (_, k) => at + k));
    const shorter = attempt(world, path, drop, invariants, options);
    if (shorter) {
      path = shorter;
      at = Math.min(at, path.length - size + 1);
    }
  }
  return path;
}

/** Drops any two commands at once; the first pair that can go, or undefined. */
function dropPair(world: World, path: readonly number[], invariants: ReadonlySet<InvariantName>, options: ShrinkOptions): number[] | undefined {
  for (let i = 0; i < path.length; i++) {
    for (let j = i + 1; j < path.length; j++) {
      const shorter = attempt(world, path, new Set([i, j]), invariants, options);
      if (shorter) return shorter;
    }
  }
  return undefined;
}

/**
 * The shortest path found that still breaks one of `invariants` from the world's first state:
 * cut after the first command that breaks one, then runs of commands dropped (halves, quarters
 * and so on down to single commands, as ddmin does), then pairs, until none can go. A path
 * that breaks none of them comes back as it was.
 */
export function shrinkPath(world: World, path: readonly number[], invariants: Iterable<InvariantName>, options: ShrinkOptions = {}): number[] {
  const wanted = new Set(invariants);
  const after = breaksAfter(world, path, wanted, options);
  if (after < 0) return [...path];
  let shrunk = path.slice(0, after);
  for (;;) {
    const before = shrunk.length;
    for (let size = Math.max(1, shrunk.length >> 1); size >= 1; size >>= 1) shrunk = dropRuns(world, shrunk, size, wanted, options);
    if (shrunk.length < before) continue;
    const paired = dropPair(world, shrunk, wanted, options);
    if (!paired) return shrunk;
    shrunk = paired;
  }
}
