/**
 * BlockBackends: root users that hold one edge with the perm and shared they ask for
 * (block-backend.c: blk_new(), blk_insert_bs(), blk_set_perm(), blk_unref()).
 */
import { Role } from '../drivers/roles.js';
import { deleteShard, setShard } from '../graph/shards.js';
import type { Backend, BackendId, BackendOwner, NodeName } from '../graph/types.js';
import type { PermSet } from '../perms/perm.js';
import { attachNoperm, detachNoperm, setEdgePerm } from './links.js';
import { refresh } from './refresh.js';
import type { Tx } from './tx-state.js';

/** blk_new() + blk_insert_bs(): a backend attached to `node`; the refresh runs at once. */
export function insertBackend(tx: Tx, owner: BackendOwner, node: NodeName, perm: PermSet, shared: PermSet, name = ''): BackendId {
  const id = ++tx.g.counters.backend;
  setShard<Backend>(tx.g.backends, String(id), { id, name, owner, perm, shared, edge: null });
  attachNoperm(tx, { kind: 'backend', backend: id }, node, 'root', Role.FILTERED | Role.PRIMARY, perm, shared);
  refresh(tx);
  return id;
}

/** blk_set_perm(): new perm and shared on the backend's edge. */
export function setBackendPerm(tx: Tx, id: BackendId, perm: PermSet, shared: PermSet): void {
  const backend = tx.backend(id);
  if (!backend) throw new Error(`internal: backend ${id} is missing`);
  backend.perm = perm;
  backend.shared = shared;
  if (backend.edge !== null) setEdgePerm(tx, tx.edge(backend.edge), perm, shared);
  refresh(tx);
}

/** blk_unref(): the backend lets go of its node. */
export function removeBackend(tx: Tx, id: BackendId): void {
  const backend = tx.backend(id);
  if (!backend) return;
  if (backend.edge !== null) detachNoperm(tx, backend.edge);
  deleteShard(tx.g.backends, String(id));
}
