/**
 * Whether a job's first read of its source fails, and with what QEMU reports: a replication node
 * (never started here) answers every read with EIO (replication_co_readv(): a primary only
 * forwards writes, a secondary's stage is not RUNNING), as does an NBD client whose server is
 * gone (nbd_co_request() on a dead connection, without `reconnect-delay`). A read at the start of
 * the disk goes down through filters and raw to the data, through a format node to its file, and
 * to its backing where its first cluster is not allocated.
 */
import { Role } from '../drivers/roles.js';
import type { Edge, NodeName } from '../graph/types.js';
import { connectionAlive } from '../core/nbd-client.js';
import type { Tx } from '../core/tx-state.js';
import { msg } from '../messages/messages.js';

const MAX_DEPTH = 64;

/** The nodes a read at the start of `name`'s disk reaches, `name` first. */
export function nodesFirstReadReaches(tx: Tx, name: NodeName, depth = 0): NodeName[] {
  const node = tx.peekNode(name);
  if (!node || depth > MAX_DEPTH) return [];
  const layout = node.header?.qcow2?.layout;
  const firstAllocated = layout?.some((c) => c !== null && 'data' in c && c.data === 0) === true;
  const reads = (e: Edge): boolean => (e.role & Role.COW ? !firstAllocated : (e.role & (Role.DATA | Role.FILTERED)) !== 0);
  const below = node.children.map((id) => tx.peekEdge(id)).filter(reads);
  return [name, ...below.flatMap((edge) => nodesFirstReadReaches(tx, edge.child, depth + 1))];
}

/** Why a read at the start of `name`'s disk fails (the errno text), or null when it does not. */
export function sourceReadError(tx: Tx, name: NodeName): string | null {
  const unreadable = nodesFirstReadReaches(tx, name).some((at) => {
    const node = tx.mustPeekNode(at);
    if (node.driver === 'replication') return true;
    return node.remote !== undefined && !connectionAlive(tx, node.remote) && Number(node.options['reconnect-delay'] ?? 0) <= 0;
  });
  return unreadable ? msg.ioError() : null;
}
