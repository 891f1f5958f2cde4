/**
 * Partial-order reduction by sleep sets (Godefroid 1996): two commands whose footprints in a
 * state are disjoint (footprint.ts) commute there, and neither changes whether the other is
 * refused, so of the two orders only one need be followed. A state's sleep set holds the commands
 * not to take from it, because a commuting path already took them; it is a bitset (Uint32Array
 * words, command i at bit i % 32 of word i >>> 5). Soundness: docs/testing.md, "Reductions".
 *
 * How an explorer uses it, from a state s reached with sleep set Z:
 *   const ind = independenceAt(world, s); let done = emptySleep(n);
 *   for each command i not in Z (nor, on a revisit, outside the `explore` set of sleepMeet):
 *     successor s·i gets successorSleep(ind, Z, done, i); then addSleep(done, i).
 * A state met again with sleep set Z' (stored Z): sleepMeet(Z, Z') gives the set to store
 * (Z ∩ Z') and, when s was expanded already, the commands to take from it now (Z \ Z'), with
 * Z ∩ Z' as their Z. A state not yet expanded only has its stored set narrowed.
 */
import { commandFootprint, disjoint, startedJob, type Footprint } from './footprint.js';
import type { World, WorldState } from './world.js';

export type { Footprint } from './footprint.js';

/** A set of command numbers. */
export type SleepSet = Uint32Array;

const jobsToStart = new WeakMap<World, readonly string[]>();

/** What command `commandIndex` of the universe can read or change in this state. */
export function footprint(world: World, state: WorldState, commandIndex: number): Footprint {
  let jobs = jobsToStart.get(world);
  if (!jobs) jobsToStart.set(world, (jobs = world.commands.flatMap((c) => startedJob(c) ?? [])));
  return commandFootprint(state.graph, world.commands[commandIndex]!, jobs);
}

/** Whether two footprints (of one state) are independent: they share no part. */
export const independent = (a: Footprint, b: Footprint): boolean => disjoint(a, b);

/** The commands of one state, their footprints and who is independent of whom (worked out as asked). */
export class Independence {
  private readonly footprints: (Footprint | undefined)[];
  private readonly rows: (SleepSet | undefined)[];

  constructor(
    private readonly world: World,
    private readonly state: WorldState,
  ) {
    this.footprints = new Array<Footprint | undefined>(world.commands.length);
    this.rows = new Array<SleepSet | undefined>(world.commands.length);
  }

  footprint(i: number): Footprint {
    return (this.footprints[i] ??= footprint(this.world, this.state, i));
  }

  independent(a: number, b: number): boolean {
    return a !== b && independent(this.footprint(a), this.footprint(b));
  }

  /** The commands independent of command i here, as a set. */
  row(i: number): SleepSet {
    let row = this.rows[i];
    if (!row) {
      const n = this.world.commands.length;
      row = emptySleep(n);
      const own = this.footprint(i);
      if (!own.all) for (let t = 0; t < n; t++) if (t !== i && independent(own, this.footprint(t))) addSleep(row, t);
      this.rows[i] = row;
    }
    return row;
  }
}

export const independenceAt = (world: World, state: WorldState): Independence => new Independence(world, state);

export const emptySleep = (commands: number): SleepSet => new Uint32Array((commands + 31) >>> 5);
export const inSleep = (set: SleepSet, i: number): boolean => (set[i >>> 5]! & (1 << (i & 31))) !== 0;
export function addSleep(set: SleepSet, i: number): void {
  set[i >>> 5]! |= 1 << (i & 31);
}
export const sleepIsEmpty = (set: SleepSet): boolean => set.every((w) => w === 0);
export function sleepSize(set: SleepSet): number {
  let n = 0;
  for (let w of set) for (; w; w &= w - 1) n++;
  return n;
}

/**
 * The sleep set of s·i: the commands asleep at s or taken from s before i that are independent
 * of i at s, `{ t ∈ sleep ∪ exploredBefore : independent(t, i) at s }`.
 */
export function successorSleep(ind: Independence, sleep: SleepSet, exploredBefore: SleepSet, i: number): SleepSet {
  const row = ind.row(i);
  const out = new Uint32Array(sleep.length);
  for (let w = 0; w < out.length; w++) out[w] = (sleep[w]! | exploredBefore[w]!) & row[w]!;
  return out;
}

/**
 * A state met again: `stored` is the sleep set it was kept with, `arriving` the new one. The set
 * to keep is their meet; the commands asleep before but not now must still be taken from it.
 */
export function sleepMeet(stored: SleepSet, arriving: SleepSet): { readonly sleep: SleepSet; readonly explore: SleepSet } {
  const sleep = new Uint32Array(stored.length);
  const explore = new Uint32Array(stored.length);
  for (let w = 0; w < stored.length; w++) {
    sleep[w] = stored[w]! & arriving[w]!;
    explore[w] = stored[w]! & ~arriving[w]!;
  }
  return { sleep, explore };
}
