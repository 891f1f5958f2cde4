/**
 * Op blockers (block.c: bdrv_op_block_all(), bdrv_op_is_blocked()), derived from the graph rather
 * than stored: an overlay blocks most operations on its backing node, and a block job blocks every
 * operation on each node it holds an edge on. The newest blocker is the one QEMU reports.
 */
import { getEdge, getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { msg } from '../messages/messages.js';

export type BlockOp =
  | 'backup-source'
  | 'backup-target'
  | 'change'
  | 'commit-source'
  | 'commit-target'
  | 'drive-del'
  | 'eject'
  | 'external-snapshot'
  | 'internal-snapshot'
  | 'internal-snapshot-delete'
  | 'mirror-source'
  | 'mirror-target'
  | 'resize'
  | 'stream';

/** What bdrv_backing_attach() unblocks on a backing node again. */
const ALLOWED_ON_BACKING: ReadonlySet<BlockOp> = new Set(['commit-target', 'stream', 'backup-source', 'backup-target']);

/** The reason the newest blocker of `op` gives, or null. */
export function opBlockerReason(graph: Graph, name: NodeName, op: BlockOp): string | null {
  const node = getNode(graph, name);
  if (!node || node.parents.length === 0) return null;
  const edges = node.parents.map((id) => getEdge(graph, id)!).sort((a, b) => b.id - a.id);
  for (const edge of edges) {
    if (edge.parent.kind === 'job') return msg.blockedByJob(edge.parent.jobType);
    if (edge.parent.kind === 'node' && edge.name === 'backing' && !ALLOWED_ON_BACKING.has(op)) {
      return msg.usedAsBackingHd(edge.parent.node);
    }
  }
  return null;
}

/** bdrv_op_is_blocked() with its error text: `Node 'x' is busy: …`. */
export function opBlocked(graph: Graph, name: NodeName, op: BlockOp): string | null {
  const reason = opBlockerReason(graph, name, op);
  return reason ? msg.nodeBusy(name, reason) : null;
}
