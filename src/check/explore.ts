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

export function explore(world: World, options: ExploreOptions): ExploreResult {
  const now = options.now ?? (() => performance.now());
  const every = options.progressEveryMs ?? 100;
  const started = now();
  let lastReport = started;
  const seen = new Set<number>();
  const parent: number[] = [-1];
  const via: number[] = [-1];
  const pathTo = (id: number, last?: number): number[] => {
    const path: number[] = last === undefined ? [] : [last];
    for (let at = id; parent[at]! >= 0; at = parent[at]!) path.push(via[at]!);
    return path.reverse();
  };
  let transitions = 0;
  let depthReached = 0;
  const result = (found?: Found, exhausted = false): ExploreResult => ({
    states: parent.length,
    transitions,
    depthReached,
    exhausted,
    elapsedMs: now() - started,
    ...(found ? { found } : {}),
  });

  const real = (violations: readonly Violation[]): readonly Violation[] =>
    options.allowQuirks ? violations.filter((v) => v.quirk === undefined) : violations;
  const first = world.initial;
  seen.add(stateKey(first.graph, first.storage.key));
  const atStart = real(checkSnapshot(first.graph, { storage: first.storage.storage }));
  if (atStart.length) return result({ violations: atStart, path: [] });

  let frontier: { state: WorldState; id: number }[] = [{ state: first, id: 0 }];
  const commands = world.commands.length;
  for (let depth = 1; depth <= options.depth && frontier.length; depth++) {
    const next: { state: WorldState; id: number }[] = [];
    let expanded = 0;
    for (const { state, id } of frontier) {
      for (let c = 0; c < commands; c++) {
        const stepped = world.step(state, c);
        transitions++;
        const to = stepped.state;
        // only a refusal can break that rule (its label is worth making only then)
        if (to !== state && stepped.reply && 'error' in stepped.reply && to.graph !== state.graph) {
          const refused = real(checkRefusedCommand(state.graph, to.graph, stepped.reply, commandLabel(world.commands[c]!)));
          if (refused.length) return result({ violations: refused, path: pathTo(id, c) });
        }
        if (to === state) continue;
        const key = stateKey(to.graph, to.storage.key, state.graph);
        if (seen.has(key)) continue;
        seen.add(key);
        const toId = parent.length;
        parent.push(id);
        via.push(c);
        depthReached = depth;
        const broken = real(checkSnapshot(to.graph, { storage: to.storage.storage }));
        if (broken.length) return result({ violations: broken, path: pathTo(toId) });
        next.push({ state: to, id: toId });
      }
      if (options.onProgress && (++expanded & 15) === 0) {
        const t = now();
        if (t - lastReport >= every) {
          lastReport = t;
          options.onProgress({ states: parent.length, transitions, depth, elapsedMs: t - started });
        }
      }
    }
    frontier = next;
  }
  return result(undefined, frontier.length === 0);
}
