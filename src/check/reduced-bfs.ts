/**
 * A reference exploration to exhaustion, with either reduction or none: every state reachable
 * from the first is visited once by its key, every new state's invariants are checked and every
 * refused command taken is checked to have changed nothing, and all the invariants broken are
 * collected (it does not stop at the first). Keys are whole canonical texts, not hashes, so the
 * counts it gives are exact; it is for tests and measurements, not for large universes.
 */
import { checkRefusedCommand, checkSnapshot } from '../invariants/index.js';
import { addSleep, emptySleep, independenceAt, inSleep, sleepIsEmpty, sleepMeet, successorSleep, type SleepSet } from './independence.js';
import { symmetricKey, type Symmetry } from './symmetry.js';
import { renamedStateText, stateSections } from './symmetry-text.js';
import { commandLabel } from './universe.js';
import type { World, WorldState } from './world.js';

export interface ReducedOptions {
  /** Key states by their orbit under this group. */
  readonly symmetry?: Symmetry;
  /** Skip commands by sleep sets. */
  readonly sleepSets?: boolean;
  /** Give up (throw) past this many states. */
  readonly maxStates?: number;
}

export interface ReducedResult {
  /** Distinct states (orbits, with symmetry) visited, by key. */
  readonly states: ReadonlyMap<string, WorldState>;
  /** Commands taken. */
  readonly transitions: number;
  /** The states the orbits hold together (the states count without symmetry). */
  readonly represented: number;
  /** The invariants broken anywhere, by name. */
  readonly violated: ReadonlySet<string>;
}

interface Stored {
  sleep: SleepSet;
  expanded: boolean;
}

interface Task {
  readonly state: WorldState;
  readonly key: string;
  /** On a revisit: only these commands. */
  readonly only?: SleepSet;
}

/** The canonical text of a state: its key without symmetry. */
export const canonicalText = (state: WorldState): string => renamedStateText(stateSections(state), new Map());

export function reducedBfs(world: World, options: ReducedOptions = {}): ReducedResult {
  const n = world.commands.length;
  const states = new Map<string, WorldState>();
  const stored = new Map<string, Stored>();
  const violated = new Set<string>();
  let transitions = 0;
  let represented = 0;
  const keyOf = (state: WorldState): string => {
    if (!options.symmetry) return canonicalText(state);
    const { key, orbitSize } = symmetricKey(options.symmetry, state, (text) => text);
    if (!states.has(key)) represented += orbitSize;
    return key;
  };
  const visit = (state: WorldState, key: string, sleep: SleepSet, queue: Task[]): void => {
    const known = stored.get(key);
    if (!known) {
      if (options.maxStates !== undefined && states.size >= options.maxStates) throw new Error(`more than ${options.maxStates} states`);
      if (!options.symmetry) represented++;
      states.set(key, state);
      stored.set(key, { sleep, expanded: false });
      for (const v of checkSnapshot(state.graph, { storage: state.storage.storage })) violated.add(v.invariant);
      queue.push({ state, key });
      return;
    }
    const { sleep: meet, explore } = sleepMeet(known.sleep, sleep);
    known.sleep = meet;
    if (known.expanded && !sleepIsEmpty(explore)) queue.push({ state: states.get(key)!, key, only: explore });
  };
  const queue: Task[] = [];
  const first = world.initial;
  visit(first, keyOf(first), emptySleep(n), queue);
  for (let at = 0; at < queue.length; at++) {
    const { state, key, only } = queue[at]!;
    const own = stored.get(key)!;
    own.expanded = true;
    const sleep = own.sleep.slice();
    const ind = options.sleepSets ? independenceAt(world, state) : undefined;
    const done = emptySleep(n);
    for (let c = 0; c < n; c++) {
      if (only ? !inSleep(only, c) : inSleep(sleep, c)) continue;
      const stepped = world.step(state, c);
      transitions++;
      const to = stepped.state;
      if (stepped.reply && 'error' in stepped.reply && to.graph !== state.graph) {
        for (const v of checkRefusedCommand(state.graph, to.graph, stepped.reply, commandLabel(world.commands[c]!))) violated.add(v.invariant);
      }
      const next = ind ? successorSleep(ind, sleep, done, c) : emptySleep(n);
      addSleep(done, c);
      if (to !== state) visit(to, keyOf(to), next, queue);
    }
  }
  return { states, transitions, represented, violated };
}
