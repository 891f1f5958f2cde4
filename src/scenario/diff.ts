/**
 * What changed between two snapshots, for traces: nodes added (with the state they start in) or
 * removed, `ro` flips, open-mode flips of files, and edges whose perm or shared changed. Nodes a
 * command did not touch keep their identity, so they cost nothing here. Plain JSON, as
 * `permgraph run --format json` writes it: names, the edge's child name and roles, and perm and
 * shared as QMP's lists.
 */
import type { NodeStateName } from '../../machines/node.types.js';
import { roleNames } from '../drivers/roles.js';
import { allEdges, getBackend, getNode, nodesInOrder } from '../graph/graph.js';
import type { BlockNode, Edge, FdMode, Graph, ParentRef } from '../graph/types.js';
import { qmpPermList, type QmpPermName } from '../perms/perm.js';

/** An edge's parent: a block node, a block job (its own edges), or the owner of a BlockBackend. */
export interface EdgeParent {
  readonly kind: 'node' | 'job' | 'export' | 'device' | 'job-backend' | 'backend';
  /** The node name, the job id, the export or device id, or (kind `backend`) the backend's id. */
  readonly name: string;
  /** What an internal BlockBackend (kind `backend`) is for. */
  readonly purpose?: string;
}

export interface EdgeRef {
  readonly parent: EdgeParent;
  readonly child: string;
  /** The child name: `file`, `backing`, `root`, `main node`, … */
  readonly name: string;
  /** BdrvChildRole by QEMU's names (`data`, `metadata`, `filtered`, `cow`, `primary`); none for a job's edge. */
  readonly role: readonly string[];
}

/** What the parent takes of the child (perm) and lets other parents take (shared), as QMP lists them. */
export interface EdgePerms {
  readonly perm: readonly QmpPermName[];
  readonly shared: readonly QmpPermName[];
}

export type Change =
  | {
      readonly kind: 'node-added';
      readonly node: string;
      readonly driver: string;
      /** QMP's `ro` as the node starts. */
      readonly ro: boolean;
      /** The state its read-only chart starts in. */
      readonly state: NodeStateName;
      /** A file node's descriptor; null for a node without one. */
      readonly openMode: FdMode | null;
    }
  | { readonly kind: 'node-removed'; readonly node: string; readonly driver: string }
  | { readonly kind: 'ro'; readonly node: string; readonly from: boolean; readonly to: boolean; readonly state: NodeStateName }
  | { readonly kind: 'open-mode'; readonly node: string; readonly path: string; readonly from: FdMode; readonly to: FdMode }
  | { readonly kind: 'edge-moved'; readonly edge: EdgeRef; readonly to: string; readonly perms: EdgePerms }
  | { readonly kind: 'edge'; readonly edge: EdgeRef; readonly from: EdgePerms | null; readonly to: EdgePerms | null };

function parentOf(g: Graph, parent: ParentRef): EdgeParent {
  switch (parent.kind) {
    case 'node':
      return { kind: 'node', name: parent.node };
    case 'job':
      return { kind: 'job', name: parent.job };
    case 'backend': {
      const owner = getBackend(g, parent.backend)?.owner;
      if (!owner) return { kind: 'backend', name: String(parent.backend) };
      if (owner.kind === 'internal') return { kind: 'backend', name: String(parent.backend), purpose: owner.purpose };
      return { kind: owner.kind === 'job' ? 'job-backend' : owner.kind, name: owner.id };
    }
  }
}

const edgeRef = (g: Graph, e: Edge): EdgeRef => ({ parent: parentOf(g, e.parent), child: e.child, name: e.name, role: roleNames(e.role) });
const permsOf = (e: Edge): EdgePerms => ({ perm: qmpPermList(e.perm), shared: qmpPermList(e.shared) });

const added = (node: BlockNode): Change => ({
  kind: 'node-added',
  node: node.name,
  driver: node.driver,
  ro: node.readOnly,
  state: node.machine.value,
  openMode: node.file?.mode ?? null,
});

/** Nodes added, then what changed on the nodes that were there, then edges, then nodes removed. */
export function diffGraphs(before: Graph, after: Graph): Change[] {
  if (before === after) return [];
  const born: Change[] = [];
  const changes: Change[] = [];
  for (const node of nodesInOrder(after)) {
    const old = getNode(before, node.name);
    if (old === node) continue;
    if (!old) {
      born.push(added(node));
      continue;
    }
    if (old.readOnly !== node.readOnly) {
      changes.push({ kind: 'ro', node: node.name, from: old.readOnly, to: node.readOnly, state: node.machine.value });
    }
    if (old.file && node.file && old.file.mode !== node.file.mode) {
      changes.push({ kind: 'open-mode', node: node.name, path: node.file.path, from: old.file.mode, to: node.file.mode });
    }
  }
  const edgesBefore = new Map(allEdges(before).map((e) => [e.id, e]));
  for (const edge of allEdges(after)) {
    const old = edgesBefore.get(edge.id);
    edgesBefore.delete(edge.id);
    if (old === edge) continue;
    if (!old) changes.push({ kind: 'edge', edge: edgeRef(after, edge), from: null, to: permsOf(edge) });
    else if (old.child !== edge.child) {
      changes.push({ kind: 'edge-moved', edge: edgeRef(before, old), to: edge.child, perms: permsOf(edge) });
    } else if (old.perm !== edge.perm || old.shared !== edge.shared) {
      changes.push({ kind: 'edge', edge: edgeRef(after, edge), from: permsOf(old), to: permsOf(edge) });
    }
  }
  for (const old of edgesBefore.values()) changes.push({ kind: 'edge', edge: edgeRef(before, old), from: permsOf(old), to: null });
  for (const node of nodesInOrder(before)) {
    if (!getNode(after, node.name)) changes.push({ kind: 'node-removed', node: node.name, driver: node.driver });
  }
  return [...born, ...changes];
}
