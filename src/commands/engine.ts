/**
 * The one engine every driver of the core shares (the runtime, the explorer, the invariant
 * checks): a QMP command, or a move of the clock, as a pure step from one snapshot to the next in
 * one environment (storage, node stepper, driver policies). Neither step throws.
 */
import type { GraphEvent } from '../core/events.js';
import { transact } from '../core/tx.js';
import type { TxEnv } from '../core/tx-state.js';
import type { Graph } from '../graph/types.js';
import { advanceJobs } from '../jobs/clock.js';
import type { QmpCommand } from '../qapi/reply.js';
import { dispatch, type Dispatched } from './dispatch.js';
import { knownFailureEvents } from './known-failures.js';

/** A clock advance: the new snapshot and its events, or the fault that kept the old one. */
export type Advanced =
  | { readonly graph: Graph; readonly events: readonly GraphEvent[]; readonly fault?: undefined }
  | { readonly graph: Graph; readonly events: readonly []; readonly fault: unknown };

export interface Engine {
  readonly env: TxEnv;
  /** One command: its reply, the new snapshot (the old one when refused) and its events. */
  step(graph: Graph, command: QmpCommand): Dispatched;
  /** `seconds` pass: running jobs make progress and may finish. */
  advance(graph: Graph, seconds: number): Advanced;
}

export function createEngine(env: TxEnv): Engine {
  return {
    env,
    step(graph, command) {
      const result = dispatch(graph, env, command);
      const failures = knownFailureEvents(graph, result.graph, command, env, result.tried ?? result.events);
      return failures.length === 0 ? result : { ...result, events: [...result.events, ...failures] };
    },
    advance(graph, seconds) {
      if (Object.keys(graph.jobs).length === 0) return { graph, events: [] };
      try {
        const { graph: moved, events } = transact(graph, env, (tx) => advanceJobs(tx, seconds));
        return { graph: moved, events: [...events, ...knownFailureEvents(graph, moved, null, env, events)] };
      } catch (fault) {
        // no command to answer: the clock and the jobs stay where they were
        return { graph, events: [], fault };
      }
    },
  };
}
