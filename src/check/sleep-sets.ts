/**
 * The partial-order reduction of `permgraph check --por`: sleep sets (independence.ts) kept for
 * a breadth-first search over fingerprints. A state reached with a sleep set skips the commands
 * in it (their targets are reached by a commuting path); a state reached again with a smaller
 * one is expanded again with the commands it had skipped that it may skip no longer. Only states
 * with a non-empty sleep set are remembered (with their snapshot, to expand again): a state
 * expanded with an empty one has skipped nothing. docs/testing.md, "Sleep sets", proves that
 * every reachable state is still visited.
 */
import { addSleep, emptySleep, independenceAt, inSleep, sleepIsEmpty, sleepMeet, successorSleep, type Independence, type SleepSet } from './independence.js';
import type { Fingerprint } from './state-hash.js';
import type { World, WorldState } from './world.js';

interface Stored {
  sleep: SleepSet;
  expanded: boolean;
  readonly state: WorldState;
  readonly id: number;
}

/** A state to expand again, with the commands it must take now. */
export interface Again {
  readonly state: WorldState;
  readonly id: number;
  readonly only: SleepSet;
}

const keyOf = (f: Fingerprint): string => `${f.hi}:${f.lo}`;

export class SleepSets {
  private readonly byKey = new Map<string, Stored>();
  private readonly byId = new Map<number, Stored>();

  constructor(private readonly world: World) {}

  /** States remembered with a non-empty sleep set. */
  get remembered(): number {
    return this.byKey.size;
  }

  /** A new state, reached with this sleep set. */
  arrived(print: Fingerprint, state: WorldState, id: number, sleep: SleepSet): void {
    if (sleepIsEmpty(sleep)) return;
    const stored: Stored = { sleep, expanded: false, state, id };
    this.byKey.set(keyOf(print), stored);
    this.byId.set(id, stored);
  }

  /** A known state reached again with `arriving`: what it must now be expanded with, if anything. */
  again(print: Fingerprint, arriving: SleepSet): Again | undefined {
    const stored = this.byKey.get(keyOf(print));
    if (!stored) return undefined;
    const { sleep, explore } = sleepMeet(stored.sleep, arriving);
    stored.sleep = sleep;
    if (!stored.expanded || sleepIsEmpty(explore)) return undefined;
    return { state: stored.state, id: stored.id, only: explore };
  }

  /** Starts expanding state `id` (all the commands not asleep, or `only` these when expanding it again). */
  expand(state: WorldState, id: number, only?: SleepSet): Expansion {
    const stored = this.byId.get(id);
    if (stored) stored.expanded = true;
    return new Expansion(independenceAt(this.world, state), stored ? stored.sleep.slice() : emptySleep(this.world.commands.length), only);
  }
}

/** One state's expansion: which commands it skips, and the sleep set each successor gets. */
export class Expansion {
  private readonly done: SleepSet;

  constructor(
    private readonly independence: Independence,
    private readonly sleep: SleepSet,
    private readonly only: SleepSet | undefined,
  ) {
    this.done = new Uint32Array(sleep.length);
  }

  skips(command: number): boolean {
    return this.only ? !inSleep(this.only, command) : inSleep(this.sleep, command);
  }

  /** The sleep set of the state command `command` leads to (call it for each command taken, in order). */
  successor(command: number): SleepSet {
    const next = successorSleep(this.independence, this.sleep, this.done, command);
    addSleep(this.done, command);
    return next;
  }
}
