/**
 * The state of one transaction: the draft it works on (src/core/draft.ts), the environment it was
 * handed, the events it has seen, and the nodes its refresh must visit. What a transaction does
 * lives beside it, a file for each job: nodes.ts (node life), links.ts (edges), heights.ts,
 * refresh.ts (with conflicts.ts, file-locks.ts, child-perm.ts), node-chart.ts (the node chart and
 * the reopens it asks for).
 */
import type { Draft } from 'immer';
import type { NodeStepper } from '../../machines/node.types.js';
import { DRIVERS, type DriverPolicies, type DriverPolicy } from '../drivers/registry.js';
import { parentLabel } from '../graph/graph.js';
import { getShard } from '../graph/shards.js';
import type { Backend, BlockNode, DriverName, Edge, EdgeId, Graph, NodeName, ParentRef } from '../graph/types.js';
import type { Storage } from '../storage/storage.js';
import { ownBackend, ownEdge, ownNode, type DraftEdge, type DraftNode } from './draft.js';
import type { GraphEvent } from './events.js';
import type { HeightQueue } from './height-queue.js';

/** What a transaction is handed: where files are, the node chart, the driver policies. */
export interface TxEnv {
  readonly storage: Storage;
  readonly stepper: NodeStepper;
  /** The driver policies (DRIVERS unless a variant is given). */
  readonly drivers?: DriverPolicies;
  /**
   * A transaction's action: the jobs it starts first run once every action is prepared and the
   * drained sections end (job_start() in the action's .commit), so none ends before then.
   */
  readonly deferJobRuns?: boolean;
}

export class Tx {
  readonly events: GraphEvent[] = [];
  /** The nodes the refresh looked at, in order (what a change cost). */
  readonly refreshed: NodeName[] = [];
  /** The nodes whose inputs changed since the last refresh. */
  readonly dirty = new Set<NodeName>();
  /** The refresh's queue, kept for the next refresh of this transaction. */
  queue: HeightQueue | undefined;
  /** The file nodes whose descriptor was opened anew (raw_check_perm() found another mode needed). */
  readonly fdOpened = new Set<NodeName>();
  /**
   * While a reopen's refresh runs: whether each queued node is inactive once the reopen commits
   * (bdrv_reopen_get_flags()); the nodes themselves keep their flag until then.
   */
  reopenInactive: ReadonlyMap<NodeName, boolean> | undefined;

  constructor(
    readonly g: Draft<Graph>,
    readonly base: Graph,
    readonly env: TxEnv,
  ) {}

  /** A node to change: the transaction's own copy. */
  node(name: NodeName): DraftNode | undefined {
    return ownNode(this.g, name);
  }

  /** A node to change; it must exist. */
  mustNode(name: NodeName): DraftNode {
    const node = this.node(name);
    if (!node) throw new Error(`internal: node '${name}' is missing`);
    return node;
  }

  /** A node to read only (no copy made). */
  peekNode(name: NodeName): BlockNode | undefined {
    return getShard(this.g.nodes, name);
  }

  /** A node to read only; it must exist. */
  mustPeekNode(name: NodeName): BlockNode {
    const node = this.peekNode(name);
    if (!node) throw new Error(`internal: node '${name}' is missing`);
    return node;
  }

  /** An edge to change: the transaction's own copy. */
  edge(id: EdgeId): DraftEdge {
    const edge = ownEdge(this.g, id);
    if (!edge) throw new Error(`internal: edge ${id} is missing`);
    return edge;
  }

  /** An edge to read only (no copy made). */
  peekEdge(id: EdgeId): Edge {
    const edge = getShard(this.g.edges, String(id));
    if (!edge) throw new Error(`internal: edge ${id} is missing`);
    return edge;
  }

  /** A backend to change: the transaction's own copy. */
  backend(id: number): Draft<Backend> | undefined {
    return ownBackend(this.g, id);
  }

  label(parent: ParentRef): string {
    return parentLabel(this.g as Graph, parent);
  }

  policy(driver: DriverName): DriverPolicy {
    return (this.env.drivers ?? DRIVERS)[driver];
  }

  emit(event: GraphEvent): void {
    this.events.push(event);
  }

  nextSeq(): number {
    return this.g.counters.seq++;
  }

  /** Marks a node for the next refresh (its options or parents changed). */
  touch(name: NodeName): void {
    this.dirty.add(name);
  }
}
