/**
 * One live xstate actor per node, for inspection: created when a node is added, sent the same
 * events the core's refresh sent the node's machine, stopped when the node goes. Independent
 * actors (never children of one parent machine, whose stop would be quadratic).
 */
import { createActor, type Actor } from 'xstate';
import type { NodeMachine } from '../../machines/node.machine.js';
import type { GraphEvent } from '../core/events.js';
import { getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';

export type NodeActor = Actor<NodeMachine>;

export class NodeActors {
  private readonly actors = new Map<NodeName, NodeActor>();

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
      actor = createActor(this.machine, { snapshot, input: snapshot.context }).start();
      this.actors.set(name, actor);
    }
    return actor;
  }

  /** Applies a committed command's events. */
  apply(events: readonly GraphEvent[]): void {
    for (const event of events) {
      if (event.type === 'node.added') {
        if (this.mode === 'lazy') continue;
        this.actors.get(event.node)?.stop();
        this.actors.set(event.node, createActor(this.machine, { input: event.machine }).start());
      } else if (event.type === 'node.machine') {
        this.actors.get(event.node)?.send(event.event);
      } else if (event.type === 'node.removed') {
        this.actors.get(event.node)?.stop();
        this.actors.delete(event.node);
      }
    }
  }

  stopAll(): void {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
  }
}

