/**
 * One thread's share of a breadth-first exploration: the states of the level being expanded,
 * those of the next, and for each state found here the state it came from and the command that
 * led to it (8 bytes a state), so any state's path can be read back. States taken over from
 * another thread (or from a checkpoint) are roots: they carry their whole path.
 *
 * A state counts as new when this thread is the first to put its fingerprint in the store, which
 * other threads may share; the invariants are checked in every new state, and a refused command
 * is checked to have changed nothing.
 */
import { checkRefusedCommand, checkSnapshot, type Violation } from '../invariants/index.js';
import { checkChanged } from '../invariants/incremental.js';
import type { FingerprintStore } from './fingerprint-store.js';
import type { SleepSet } from './independence.js';
import type { SleepSets } from './sleep-sets.js';
import type { Fingerprint } from './state-hash.js';
import { stateFingerprint } from './state-key.js';
import { commandLabel } from './universe.js';
import type { World, WorldState } from './world.js';

export interface Found {
  readonly violations: readonly Violation[];
  /** Command numbers of the universe, from the first state to the broken one. */
  readonly path: readonly number[];
}

/** Why a search stopped before its end: a bound, or (between threads) another thread's find. */
export type Stop = 'max-states' | 'time' | 'halt';

/** Why a thread's level paused: the shared store is full, or another thread asked for some of its states. */
export type Pause = 'grow' | 'give';

export const isPause = (why: Stop | Pause | undefined): why is Pause => why === 'grow' || why === 'give';

export interface SearchOptions {
  /** Go on past violations that are QEMU's own documented behaviour (marked `quirk`). */
  readonly allowQuirks?: boolean;
  /** Stop once the store holds this many states. */
  readonly maxStates?: number;
  /** The store is replaced by a bigger one when it fills; otherwise the level pauses (`grow`) for its owner to grow it. */
  readonly growable?: boolean;
  /** Called every few states expanded: a reason to stop, if any. */
  readonly onTick?: () => Stop | 'give' | undefined;
  /** Skip commands by sleep sets (one thread only: the sets are this search's). */
  readonly sleepSets?: SleepSets;
}

/** A state's fingerprint (given the state it was reached from), and the orbit it stands for when keyed up to symmetry. */
export type StateFingerprint = (state: WorldState, from?: WorldState) => Fingerprint & { readonly orbit?: number };

export interface LevelOutcome {
  readonly found?: Found;
  /** A bound stopped it, or it paused (for a bigger store, or to give states away); expandLevel() carries on where it stopped. */
  readonly stopped?: Stop | Pause;
}

function lexicographic(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** States reached by paths, each step shared with the path before when their prefixes agree. */
class Replay {
  private readonly path: number[] = [];
  private readonly states: WorldState[];

  constructor(private readonly world: World) {
    this.states = [world.initial];
  }

  to(path: readonly number[]): WorldState {
    let same = 0;
    while (same < path.length && same < this.path.length && path[same] === this.path[same]) same++;
    this.path.length = same;
    this.states.length = same + 1;
    for (let i = same; i < path.length; i++) {
      this.path.push(path[i]!);
      this.states.push(this.world.step(this.states[i]!, path[i]!).state);
    }
    return this.states[path.length]!;
  }
}

/** A growable column of 32-bit integers. */
class Column {
  private data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  at(index: number): number {
    return this.data[index]!;
  }
}

export class LevelSearch {
  /** The level being expanded, from `cursor` on. */
  frontier: WorldState[] = [];
  frontierIds: number[] = [];
  cursor = 0;
  next: WorldState[] = [];
  nextIds: number[] = [];
  /** With sleep sets: for a state expanded again, the commands it takes (parallel to frontier and next). */
  private frontierOnly: (SleepSet | undefined)[] = [];
  private nextOnly: (SleepSet | undefined)[] = [];
  transitions = 0;
  /** States expanded (for how often onTick is called). */
  private expanded = 0;
  /** The states the new states stand for: themselves, or with symmetry reduction their whole orbits. */
  represented = 0;
  private readonly parent = new Column();
  private readonly via = new Column();
  private readonly roots = new Map<number, readonly number[]>();

  constructor(
    readonly world: World,
    public store: FingerprintStore,
    private readonly options: SearchOptions = {},
    private readonly fingerprint: StateFingerprint = (s, from) => stateFingerprint(s.graph, s.storage.key, from?.graph),
  ) {}

  /** States found (or taken over) by this thread. */
  get known(): number {
    return this.parent.length;
  }

  /** Puts the first state in the store and the frontier; the violations it has already, if any. */
  seedInitial(): Found | undefined {
    const first = this.world.initial;
    const print = this.fingerprint(first);
    this.store.add(print);
    this.represented += print.orbit ?? 1;
    const id = this.newRoot([]);
    this.frontier.push(first);
    this.frontierIds.push(id);
    this.frontierOnly.push(undefined);
    const broken = this.real(checkSnapshot(first.graph, { storage: first.storage.storage }));
    return broken.length ? { violations: broken, path: [] } : undefined;
  }

  /** Takes over states found elsewhere, by their paths, into the level being expanded (or the next). */
  adopt(paths: readonly (readonly number[])[], into: 'frontier' | 'next' = 'frontier'): void {
    // paths given away together share long prefixes (siblings, cousins): each prefix is stepped once
    const replay = new Replay(this.world);
    for (const path of [...paths].sort(lexicographic)) {
      const state = replay.to(path);
      (into === 'frontier' ? this.frontier : this.next).push(state);
      (into === 'frontier' ? this.frontierIds : this.nextIds).push(this.newRoot(path));
      (into === 'frontier' ? this.frontierOnly : this.nextOnly).push(undefined);
    }
  }

  /** Gives up `count` states of the level to be expanded next (the end of the frontier): their paths. */
  giveAway(count: number): number[][] {
    const from = Math.max(this.cursor, this.frontier.length - count);
    const ids = this.frontierIds.splice(from);
    this.frontier.splice(from);
    this.frontierOnly.splice(from);
    return ids.map((id) => this.pathTo(id));
  }

  /** Paths of the states still to expand: this level's rest and the next level's. */
  pendingPaths(): { frontier: number[][]; next: number[][] } {
    return { frontier: this.frontierIds.slice(this.cursor).map((id) => this.pathTo(id)), next: this.nextIds.map((id) => this.pathTo(id)) };
  }

  /** Expands the rest of the level; the next level becomes the frontier when it is done. */
  expandLevel(): LevelOutcome {
    const outcome = this.expandShare();
    if (!outcome.found && !outcome.stopped) this.nextLevel();
    return outcome;
  }

  /** Expands the rest of the level, and stays on it (states may yet be taken over into it). */
  expandShare(): LevelOutcome {
    const { maxStates, onTick, growable } = this.options;
    while (this.cursor < this.frontier.length) {
      const at = this.cursor++;
      const outcome = this.expand(this.frontier[at]!, this.frontierIds[at]!, this.frontierOnly[at]);
      if (outcome) return outcome;
      if ((++this.expanded & 15) === 0) {
        const stopped = onTick?.();
        if (stopped) return { stopped };
      }
      if (maxStates !== undefined && this.store.size >= maxStates) return { stopped: 'max-states' };
      if (this.store.full) {
        if (!growable) return { stopped: 'grow' };
        this.store = this.store.grown();
      }
    }
    return {};
  }

  /** The next level becomes the frontier. */
  nextLevel(): void {
    this.frontier = this.next;
    this.frontierIds = this.nextIds;
    this.frontierOnly = this.nextOnly;
    this.next = [];
    this.nextIds = [];
    this.nextOnly = [];
    this.cursor = 0;
  }

  /** Every command from one state: each new state it leads to is checked and put on the next level. */
  private expand(state: WorldState, id: number, only: SleepSet | undefined): LevelOutcome | undefined {
    const { world } = this;
    const sleeps = this.options.sleepSets;
    const expansion = sleeps?.expand(state, id, only);
    for (let c = 0; c < world.commands.length; c++) {
      if (expansion?.skips(c)) continue;
      const stepped = world.step(state, c);
      this.transitions++;
      const to = stepped.state;
      // every command taken goes into the successors' sleep sets, a refused one too (as in reduced-bfs.ts)
      const sleep = expansion?.successor(c);
      if (to === state) continue;
      // only a refusal can break that rule (its label is worth making only then)
      if (stepped.reply && 'error' in stepped.reply && to.graph !== state.graph) {
        const refused = this.real(checkRefusedCommand(state.graph, to.graph, stepped.reply, commandLabel(world.commands[c]!)));
        if (refused.length) return { found: { violations: refused, path: [...this.pathTo(id), c] } };
      }
      const print = this.fingerprint(to, state);
      if (!this.store.add(print)) {
        const again = sleep && sleeps?.again(print, sleep);
        if (again) this.queue(again.state, again.id, again.only);
        continue;
      }
      this.represented += print.orbit ?? 1;
      const toId = this.parent.length;
      this.parent.push(id);
      this.via.push(c);
      if (sleep) sleeps?.arrived(print, to, toId, sleep);
      // only what the command changed is checked again (incremental.ts)
      const broken = this.real(checkChanged(state.graph, to.graph, { storage: to.storage.storage }));
      if (broken.length) return { found: { violations: broken, path: this.pathTo(toId) } };
      this.queue(to, toId);
    }
    return undefined;
  }

  private queue(state: WorldState, id: number, only?: SleepSet): void {
    this.next.push(state);
    this.nextIds.push(id);
    this.nextOnly.push(only);
  }

  private real(violations: readonly Violation[]): readonly Violation[] {
    return this.options.allowQuirks ? violations.filter((v) => v.quirk === undefined) : violations;
  }

  private newRoot(path: readonly number[]): number {
    const id = this.parent.length;
    this.parent.push(-1);
    this.via.push(-1);
    this.roots.set(id, path);
    return id;
  }

  /** The commands that lead from the first state to state `id`. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    let at = id;
    for (; this.parent.at(at) >= 0; at = this.parent.at(at)) path.push(this.via.at(at));
    return [...(this.roots.get(at) ?? []), ...path.reverse()];
  }
}
