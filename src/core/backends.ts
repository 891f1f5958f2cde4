/**
 * BlockBackends: root users that hold one edge with the perm and shared they ask for
 * (block-backend.c: blk_new(), blk_insert_bs(), blk_set_perm(), blk_unref()).
 */
import { Role } from '../drivers/roles.js';
import { deleteShard, setShard } from '../graph/shards.js';
import type { Backend, BackendId, BackendOwner, NodeName } from '../graph/types.js';
import { Perm, PERM_ALL, type PermSet } from '../perms/perm.js';
import { attachNoperm, detachNoperm, setEdgePerm } from './links.js';
import { refresh } from './refresh.js';
import type { Tx } from './tx-state.js';

/**
 * blk_can_inactivate(): a device's or a named backend may see its node inactivated, and so may one
 * that takes nothing but consistent read, or that was let (QEMU 10.0's test).
 */
export function canInactivate(backend: Backend): boolean {
  if (backend.owner.kind === 'device' || backend.name !== '') return true;
  return !(backend.perm & ~Perm.CONSISTENT_READ) || backend.forceAllowInactivate === true;
}

/**
 * blk_new() + blk_insert_bs(): a backend attached to `node`; the refresh runs at once. On an
 * inactive node a backend that may be inactivated holds nothing until the node is activated.
 */
export function insertBackend(tx: Tx, owner: BackendOwner, node: NodeName, perm: PermSet, shared: PermSet, name = '', allowInactive = false): BackendId {
  const id = ++tx.g.counters.backend;
  const backend: Backend = { id, name, owner, perm, shared, edge: null, ...(allowInactive ? { forceAllowInactivate: true } : {}) };
  const disabled = tx.mustPeekNode(node).inactive && canInactivate(backend);
  setShard<Backend>(tx.g.backends, String(id), disabled ? { ...backend, disablePerm: true } : backend);
  attachNoperm(tx, { kind: 'backend', backend: id }, node, 'root', Role.FILTERED | Role.PRIMARY, disabled ? 0 : perm, disabled ? PERM_ALL : shared);
  refresh(tx);
  return id;
}

/** blk_set_perm(): new perm and shared on the backend's edge (only recorded while its perms are disabled). */
export function setBackendPerm(tx: Tx, id: BackendId, perm: PermSet, shared: PermSet): void {
  const backend = tx.backend(id);
  if (!backend) throw new Error(`internal: backend ${id} is missing`);
  backend.perm = perm;
  backend.shared = shared;
  if (backend.edge !== null && !backend.disablePerm) setEdgePerm(tx, tx.edge(backend.edge), perm, shared);
  refresh(tx);
}

/** blk_root_inactivate()'s effect: the backend's edge holds nothing and shares all until activation. */
export function disableBackendPerm(tx: Tx, id: BackendId): void {
  const backend = tx.backend(id);
  if (!backend) throw new Error(`internal: backend ${id} is missing`);
  backend.disablePerm = true;
  if (backend.edge !== null) setEdgePerm(tx, tx.edge(backend.edge), 0, PERM_ALL);
  refresh(tx);
}

/** blk_root_activate()'s first step: the backend's perm is taken while all is still shared. */
export function enableBackendPerm(tx: Tx, id: BackendId, shared: PermSet): void {
  const backend = tx.backend(id);
  if (!backend) throw new Error(`internal: backend ${id} is missing`);
  delete backend.disablePerm;
  if (backend.edge !== null) setEdgePerm(tx, tx.edge(backend.edge), backend.perm, shared);
  refresh(tx);
}

/** blk_unref(): the backend lets go of its node. */
export function removeBackend(tx: Tx, id: BackendId): void {
  const backend = tx.backend(id);
  if (!backend) return;
  if (backend.edge !== null) detachNoperm(tx, backend.edge);
  deleteShard(tx.g.backends, String(id));
}
