/**
 * One live xstate actor per node, for inspection: created when a node is added, sent the same
 * events the core's refresh sent the node's machine, stopped when the node goes. Independent
 * actors (never children of one parent machine, whose stop would be quadratic).
 */
import { createActor, type Actor } from 'xstate';
import type { NodeMachine } from '../../machines/node.machine.js';
import type { GraphEvent } from '../core/events.js';
import type { NodeName } from '../graph/types.js';

export type NodeActor = Actor<NodeMachine>;

export class NodeActors {
  private readonly actors = new Map<NodeName, NodeActor>();

  constructor(private readonly machine: NodeMachine) {}

  get size(): number {
    return this.actors.size;
  }

  get(name: NodeName): NodeActor | undefined {
    return this.actors.get(name);
  }

  /** Applies a committed command's events. */
  apply(events: readonly GraphEvent[]): void {
    for (const event of events) {
      if (event.type === 'node.added') {
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

