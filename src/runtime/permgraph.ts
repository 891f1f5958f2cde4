/**
 * The live simulator: holds the current snapshot, runs QMP-shaped commands through the pure
 * core, and publishes what happened. `graph$` replays the current snapshot to new subscribers;
 * unchanged nodes keep their identity from one snapshot to the next.
 */
import type { Observable } from 'rxjs';
// the two classes alone: rxjs's index loads every operator, a good part of the start-up time
import { BehaviorSubject } from 'rxjs/internal/BehaviorSubject';
import { Subject } from 'rxjs/internal/Subject';
import { nodeMachine, type NodeMachine } from '../../machines/node.machine.js';
import { dispatch, type QmpCommand, type QmpReply } from '../core/dispatch.js';
import type { GraphEvent } from '../core/events.js';
import { createNodeStepper } from '../core/node-stepper.js';
import type { DriverPolicies } from '../drivers/policies.js';
import { transact, type TxEnv } from '../core/tx.js';
import { advanceJobs, nextJobDeadline } from '../jobs/lifecycle.js';
import { emptyGraph, jobsInOrder } from '../graph/graph.js';
import type { Graph, Model, NodeName } from '../graph/types.js';
import { createRealStorage } from '../storage/real-storage.js';
import type { Storage } from '../storage/storage.js';
import { NodeActors, type NodeActor } from './node-actors.js';

export interface PermgraphOptions {
  /** `dynamic` (default): read-only follows the writers on every node; `qemu-7.2`: as QEMU 7.2. */
  readonly model?: Model;
  /** Where file nodes' files are looked at; the real files by default. */
  readonly storage?: Storage;
  /** The node machine (a variant of machines/node.machine.ts, e.g. with other guards). */
  readonly nodeMachine?: NodeMachine;
  /** The driver policies (a variant of DRIVERS in src/drivers/policies.ts, e.g. with another rule). */
  readonly driverPolicies?: DriverPolicies;
  /**
   * Live xstate actors of the nodes' machines, for inspection: one per node from its open on
   * (true, the default), only for the nodes asked about ('lazy'), or none (false).
   */
  readonly nodeActors?: boolean | 'lazy';
}

export interface Permgraph {
  readonly model: Model;
  /** The current snapshot. */
  readonly graph: Graph;
  readonly graph$: Observable<Graph>;
  readonly events$: Observable<GraphEvent>;
  /** Runs one command; never throws for a refused command (that is an error reply). */
  execute(command: QmpCommand): QmpReply;
  /** Moves the simulated clock on: running jobs make progress and may finish. */
  advance(seconds: number): void;
  /** Seconds until the next running job finishes its work (Infinity when none will). */
  nextJobDeadline(): number;
  /** The live actor of a node's read-only machine. */
  nodeActor(name: NodeName): NodeActor | undefined;
  readonly nodeActorCount: number;
  /** Stops the actors and completes the streams. */
  dispose(): void;
}

export function createPermgraph(options: PermgraphOptions = {}): Permgraph {
  const model = options.model ?? 'dynamic';
  const machine = options.nodeMachine ?? nodeMachine;
  const env: TxEnv = {
    storage: options.storage ?? createRealStorage(),
    stepper: createNodeStepper(machine),
    ...(options.driverPolicies ? { drivers: options.driverPolicies } : {}),
  };
  const graph$ = new BehaviorSubject<Graph>(emptyGraph(model));
  const events$ = new Subject<GraphEvent>();
  const actors =
    options.nodeActors === false
      ? null
      : new NodeActors(machine, options.nodeActors === 'lazy' ? 'lazy' : 'eager', () => graph$.value);

  const publish = (result: { graph: Graph; events: readonly GraphEvent[] }): void => {
    actors?.apply(result.events);
    if (result.graph !== graph$.value) graph$.next(result.graph);
    // with no subscriber, next() would hand the events to nobody
    if (events$.observed) for (const event of result.events) events$.next(event);
  };

  return {
    model,
    get graph() {
      return graph$.value;
    },
    graph$: graph$.asObservable(),
    events$: events$.asObservable(),
    execute(command) {
      const result = dispatch(graph$.value, env, command);
      publish(result);
      return result.reply;
    },
    advance(seconds) {
      if (Object.keys(graph$.value.jobs).length === 0) return;
      publish(transact(graph$.value, env, (tx) => advanceJobs(tx, seconds)));
    },
    nextJobDeadline: () => nextJobDeadline(jobsInOrder(graph$.value)),
    nodeActor: (name) => actors?.get(name),
    get nodeActorCount() {
      return actors?.size ?? 0;
    },
    dispose() {
      actors?.stopAll();
      graph$.complete();
      events$.complete();
    },
  };
}
