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
import { commandLabel, internalError, type Dispatched } from '../commands/dispatch.js';
import { createFaultLog, type FaultLog, type PermgraphLogger } from './fault-log.js';
import { createEngine } from '../commands/engine.js';
import type { QmpCommand, QmpReply } from '../qapi/reply.js';
import type { GraphEvent } from '../core/events.js';
import { createNodeStepper } from './node-stepper.js';
import type { DriverPolicies } from '../drivers/registry.js';
import { nextJobDeadline } from '../jobs/clock.js';
import { emptyGraph, getNode, jobsInOrder } from '../graph/graph.js';
import { withMonitors, type MonitorChardev } from '../graph/chardevs.js';
import { shardValues } from '../graph/shard-walk.js';
import type { Graph, Model, NodeName } from '../graph/types.js';
import type { Storage } from '../storage/storage.js';
import { createVirtualStorage } from '../storage/virtual-storage.js';
import { NodeActors, type NodeActor } from './node-actors.js';

export type { PermgraphLogger } from './fault-log.js';

export interface PermgraphOptions {
  /** `dynamic` (default): read-only follows the writers on every node; `qemu-7.2`: as QEMU 7.2. */
  readonly model?: Model;
  /**
   * Where file nodes' files are looked at: a virtual storage (createVirtualStorage(); an empty one
   * by default), or the real files (createRealStorage() from 'permgraph/node').
   */
  readonly storage?: Storage;
  /** The node machine (a variant of machines/node.machine.ts, e.g. with other guards). */
  readonly nodeMachine?: NodeMachine;
  /** The driver policies (a variant of DRIVERS in src/drivers/registry.ts, e.g. with another rule). */
  readonly driverPolicies?: DriverPolicies;
  /**
   * Live xstate actors of the nodes' machines, for inspection: one per node from its open on
   * (true, the default), only for the nodes asked about ('lazy'), or none (false).
   */
  readonly nodeActors?: boolean | 'lazy';
  /**
   * Where a fault of the simulator's own is reported, one line each (the command is answered
   * with an `internal error: …` reply and changes nothing); process.stderr by default.
   */
  readonly logger?: PermgraphLogger;
  /**
   * The QMP monitors' chardevs the process starts with, as qemu-storage-daemon's
   * `--chardev socket,id=ID,path=PATH,server=on,wait=off --monitor chardev=ID` makes them
   * (query-chardev lists them; they are busy); none by default.
   */
  readonly monitors?: readonly MonitorChardev[];
}

export interface Permgraph {
  readonly model: Model;
  /** The current snapshot. */
  readonly graph: Graph;
  readonly graph$: Observable<Graph>;
  /**
   * Everything that happens, as it happens. A command's events all come before execute()
   * returns, those QEMU sends before its reply first; the rest carry `phase: 'deferred'`.
   */
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

/**
 * The node actors take a result's events. If they cannot (a machine that throws), the result is a
 * fault after all: the actors start again from the snapshot before, which stays.
 */
function applyToActors(actors: NodeActors | null, faults: FaultLog, before: Graph, result: Dispatched, what: string): Dispatched {
  if (!actors) return result;
  try {
    actors.apply(result.events);
    return result;
  } catch (fault) {
    faults.report(what, fault);
    actors.reset();
    return internalError(before, what, fault);
  }
}

/**
 * Tells the storage of each NBD server whose last client in the graph the command let go: a node
 * of it closed, or a negotiation of a refused command (its client left at once). From the
 * command's events, so that a command that touches no NBD client costs nothing here.
 */
function settleNbdClients(storage: Storage, before: Graph, result: { graph: Graph; events: readonly GraphEvent[]; reply: QmpReply }): void {
  if (!storage.nbdLastClientGone) return;
  const left = new Set<string>();
  for (const event of result.events) {
    if (event.type === 'node.removed') {
      const remote = getNode(before, event.node)?.remote;
      if (remote) left.add(remote.serverId);
    } else if (event.type === 'nbd.negotiated' && 'error' in result.reply) {
      left.add(event.serverId);
    }
  }
  if (left.size === 0) return;
  for (const node of shardValues(result.graph.nodes)) if (node.remote) left.delete(node.remote.serverId);
  for (const id of left) storage.nbdLastClientGone(id);
}

export function createPermgraph(options: PermgraphOptions = {}): Permgraph {
  const model = options.model ?? 'dynamic';
  const machine = options.nodeMachine ?? nodeMachine;
  const storage = options.storage ?? createVirtualStorage({});
  const engine = createEngine({ storage, stepper: createNodeStepper(machine), ...(options.driverPolicies ? { drivers: options.driverPolicies } : {}) });
  const graph$ = new BehaviorSubject<Graph>(withMonitors(emptyGraph(model), options.monitors ?? []));
  const events$ = new Subject<GraphEvent>();
  const actors = options.nodeActors === false ? null : new NodeActors(machine, options.nodeActors === 'lazy' ? 'lazy' : 'eager', () => graph$.value);
  const faults = createFaultLog(options.logger);

  // what a command or a clock advance did: the storage told of NBD clients gone, then published
  const publish = (before: Graph, result: Dispatched): void => {
    settleNbdClients(storage, before, result);
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
      const before = graph$.value;
      let result = engine.step(before, command);
      if (result.internal) faults.report(commandLabel(command), result.internal.fault);
      else result = applyToActors(actors, faults, before, result, commandLabel(command));
      publish(before, result);
      return result.reply;
    },
    advance(seconds) {
      const before = graph$.value;
      const what = `advancing the clock by ${seconds} s`;
      const moved = engine.advance(before, seconds);
      if (moved.fault !== undefined) return faults.reportAdvance(what, moved.fault);
      faults.advanced();
      if (moved.graph === before && moved.events.length === 0) return;
      const done = applyToActors(actors, faults, before, { ...moved, reply: { return: {} } }, what);
      if (!done.internal) publish(before, done);
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
