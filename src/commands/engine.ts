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
import { wakeJob, wokenJobs } from '../jobs/throttle-wake.js';
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
      const result = wake(graph, dispatch(graph, env, command), command, env);
      const failures = knownFailureEvents(graph, result.graph, command, env, result.tried ?? result.events, result.ran === true);
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

/** The jobs the command woke from their rate-limit sleep take their next step (throttle-wake.ts), a refused command's too. */
function wake(before: Graph, result: Dispatched, command: QmpCommand, env: TxEnv): Dispatched {
  const refusal = 'error' in result.reply ? result.reply.error.desc : undefined;
  const did = (refusal !== undefined ? result.tried : result.events) ?? [];
  const woken = wokenJobs(before, result.graph, command, { did, ran: result.ran === true, ...(refusal !== undefined ? { refusal } : {}) });
  if (woken.length === 0) return result;
  const stepped = transact(result.graph, env, (tx) => woken.forEach((id) => wakeJob(tx, id)));
  return stepped.graph === result.graph ? result : { ...result, graph: stepped.graph, events: [...result.events, ...stepped.events] };
}
