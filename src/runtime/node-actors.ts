/**
 * One live xstate actor per node, for inspection: created when a node is added, sent the same
 * events the core's refresh sent the node's machine, stopped when the node goes. Independent
 * actors (never children of one parent machine, whose stop would be quadratic).
 */
import { createActor, type Actor } from 'xstate';
import type { NodeMachine } from '../../machines/node.machine.js';
import type { GraphEvent } from '../core/events.js';
import { getNode } from '../graph/graph.js';
import { shardValueList } from '../graph/shard-walk.js';
import type { Graph, NodeName } from '../graph/types.js';

export type NodeActor = Actor<NodeMachine>;

export class NodeActors {
  private readonly actors = new Map<NodeName, NodeActor>();
  /** The first error an actor reported since the last apply() (a machine that throws). */
  private failure: { readonly fault: unknown } | undefined;

  /**
   * `eager`: an actor for every node from its open on. `lazy`: an actor only once somebody asks
   * for a node's, started from the node's current machine state (what large graphs want).
   */
  constructor(
    private readonly machine: NodeMachine,
    private readonly mode: 'eager' | 'lazy',
    private readonly current: () => Graph,
  ) {}

  get size(): number {
    return this.actors.size;
  }

  get(name: NodeName): NodeActor | undefined {
    let actor = this.actors.get(name);
    const node = actor || this.mode === 'eager' ? undefined : getNode(this.current(), name);
    if (node) {
      const snapshot = this.machine.resolveState({ value: node.machine.value, context: { ...node.machine.context } });
      actor = this.watched(createActor(this.machine, { snapshot, input: snapshot.context })).start();
      this.actors.set(name, actor);
    }
    return actor;
  }

  /**
   * An actor whose errors are ours to see: xstate would otherwise report them as uncaught, out of
   * any call, and a machine that throws would take the process down.
   */
  private watched(actor: NodeActor): NodeActor {
    actor.subscribe({ error: (fault: unknown) => void (this.failure ??= { fault }) });
    return actor;
  }

  /** Applies a committed command's events; throws what an actor failed with on the way. */
  apply(events: readonly GraphEvent[]): void {
    this.failure = undefined;
    for (const event of events) {
      if (event.type === 'node.added') {
        if (this.mode === 'lazy') continue;
        this.actors.get(event.node)?.stop();
        this.actors.set(event.node, this.watched(createActor(this.machine, { input: event.machine })).start());
      } else if (event.type === 'node.machine') {
        this.actors.get(event.node)?.send(event.event);
      } else if (event.type === 'node.removed') {
        this.actors.get(event.node)?.stop();
        this.actors.delete(event.node);
      }
      // set by an actor's error observer during the step above
      const failed = this.failure as { readonly fault: unknown } | undefined;
      if (failed) throw failed.fault;
    }
  }

  stopAll(): void {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
  }

  /** Back in step with the current snapshot (after events that were not all applied): every actor anew. */
  reset(): void {
    this.stopAll();
    if (this.mode === 'lazy') return;
    for (const node of shardValueList(this.current().nodes)) {
      const snapshot = this.machine.resolveState({ value: node.machine.value, context: { ...node.machine.context } });
      this.actors.set(node.name, this.watched(createActor(this.machine, { snapshot, input: snapshot.context })).start());
    }
  }
}

