/** Reading a graph snapshot: lookups, iteration and descriptions. Pure; never mutates. */
import { msg } from '../messages/messages.js';
import { nameRecord, ownEntry } from '../util/records.js';
import { shardValues } from './shard-walk.js';
import { emptyShards, getShard } from './shards.js';
import type { Backend, BlockExport, BlockNode, Edge, EdgeId, Graph, Job, Model, NodeName, ParentRef, UserObject } from './types.js';

export function emptyGraph(model: Model): Graph {
  return {
    model,
    nodes: emptyShards(),
    edges: emptyShards(),
    backends: emptyShards(),
    exports: emptyShards(),
    exportNames: emptyShards(),
    nbdServer: null,
    objects: nameRecord(),
    fileUsers: emptyShards(),
    jobs: nameRecord(),
    clock: 0,
    counters: { edge: 0, backend: 0, seq: 0, generatedName: 0 },
  };
}

/** The purpose of a backend QEMU leaves behind on a failure and nothing ever detaches (spec §3.7). */
const LEAKED = 'leaked by';
export const leakedBy = (what: string): string => `${LEAKED} ${what}`;
export const isLeaked = (b: Backend): boolean => b.owner.kind === 'internal' && b.owner.purpose.startsWith(`${LEAKED} `);

export const getNode = (g: Graph, name: NodeName): BlockNode | undefined => getShard(g.nodes, name);
export const getEdge = (g: Graph, id: EdgeId): Edge | undefined => getShard(g.edges, String(id));
export const getBackend = (g: Graph, id: number): Backend | undefined => getShard(g.backends, String(id));
export const getExport = (g: Graph, id: string): BlockExport | undefined => getShard(g.exports, id);
/** A job by its id: own entries only, so no id finds something of Object.prototype's. */
export const getJob = (g: Graph, id: string): Job | undefined => ownEntry(g.jobs, id);
/** A QOM object by its id (own entries only). */
export const getObject = (g: Graph, id: string): UserObject | undefined => ownEntry(g.objects, id);

export function mustEdge(g: Graph, id: EdgeId): Edge {
  const edge = getEdge(g, id);
  if (!edge) throw new Error(`internal: edge ${id} is missing`);
  return edge;
}

/** Nodes in the order their names were assigned (graph_bdrv_states). */
export function nodesInOrder(g: Graph): BlockNode[] {
  return [...shardValues(g.nodes)].sort((a, b) => a.seq - b.seq);
}

export function backendsInOrder(g: Graph): Backend[] {
  return [...shardValues(g.backends)].sort((a, b) => a.id - b.id);
}

/** Exports newest first (block_exports is a list QEMU inserts at the head of). */
export function exportsInOrder(g: Graph): BlockExport[] {
  return [...shardValues(g.exports)].sort((a, b) => b.seq - a.seq);
}

export function allEdges(g: Graph): Edge[] {
  return [...shardValues(g.edges)].sort((a, b) => a.id - b.id);
}

export function parentEdges(g: Graph, node: BlockNode): Edge[] {
  return node.parents.map((id) => mustEdge(g, id));
}

export function childEdges(g: Graph, node: BlockNode): Edge[] {
  return node.children.map((id) => mustEdge(g, id));
}

/** The child edge of a node by its name (`file`, `backing`). */
export function childByName(g: Graph, node: BlockNode, name: string): Edge | undefined {
  return childEdges(g, node).find((e) => e.name === name);
}

/** get_parent_desc(): how QEMU's error messages name the holder of an edge. */
export function describeParent(g: Graph, parent: ParentRef): string {
  switch (parent.kind) {
    case 'node':
      return msg.parentNode(parent.node);
    case 'job':
      return msg.parentJob(parent.jobType, parent.job);
    case 'backend': {
      const backend = getBackend(g, parent.backend);
      if (backend?.name) return msg.parentBlockDevice(backend.name);
      if (backend?.owner.kind === 'device') return msg.parentBlockDevice(backend.owner.id);
      return msg.parentUnnamedDevice();
    }
  }
}

/** A short label for traces and events: `q1`, `export e1`, `job j1`. */
export function parentLabel(g: Graph, parent: ParentRef): string {
  switch (parent.kind) {
    case 'node':
      return parent.node;
    case 'job':
      return `job ${parent.job}`;
    case 'backend': {
      const owner = getBackend(g, parent.backend)?.owner;
      if (!owner) return `backend ${parent.backend}`;
      if (owner.kind === 'internal') return `backend ${parent.backend} (${owner.purpose})`;
      return owner.kind === 'job' ? `job ${owner.id} backend` : `${owner.kind} ${owner.id}`;
    }
  }
}

export function hasBackendParent(g: Graph, node: BlockNode): boolean {
  return node.parents.length > 0 && parentEdges(g, node).some((e) => e.parent.kind === 'backend');
}

/** Jobs in creation order (the job list QEMU walks). */
export function jobsInOrder(g: Graph): Job[] {
  return Object.values(g.jobs).sort((a, b) => a.seq - b.seq);
}

export function nodeCount(g: Graph): number {
  let n = 0;
  for (const _ of shardValues(g.nodes)) n++;
  return n;
}
