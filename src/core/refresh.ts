/**
 * bdrv_list_refresh_perms() restricted to what changed: every dirty node, highest first (a parent
 * always stands higher than its children, so this is a topological order), and each child whose
 * edge got new perms on the way. Nodes whose inputs did not change would pass QEMU's checks
 * exactly as they did before, so skipping them gives QEMU's result.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { cumulativePerm } from '../perms/cumulative.js';
import { WRITE_PERMS } from '../perms/writers.js';
import { getNode } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { childPerm, writableAfterReopen } from './child-perm.js';
import { checkParentConflicts } from './conflicts.js';
import { checkFileLocks } from './file-locks.js';
import { HeightQueue } from './height-queue.js';
import { setEdgePerm } from './links.js';
import { followWriters } from './node-chart.js';
import type { Tx } from './tx-state.js';
import { rulesOf } from '../models/rules.js';

export function refresh(tx: Tx): void {
  const { dirty } = tx;
  if (dirty.size === 0) return;
  if (dirty.size === 1 && !tx.queue) {
    // one dirty node (a node added or closed alone): no queue until its refresh dirties another
    const name = dirty.values().next().value as NodeName;
    dirty.clear();
    visit(tx, name);
    if (tx.dirty.size === 0) return;
  }
  // a refresh empties its queue: the next one of this transaction reuses it
  const queue = (tx.queue ??= new HeightQueue());
  const enqueueDirty = (): void => {
    for (const changed of dirty) queue.push(changed, tx.peekNode(changed)?.height ?? 0);
    dirty.clear();
  };
  enqueueDirty();
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    visit(tx, name);
    enqueueDirty();
  }
}

function visit(tx: Tx, name: NodeName): void {
  const node = tx.peekNode(name);
  if (!node) return;
  tx.refreshed.push(name);
  refreshNode(tx, node);
}

/**
 * One node: its parents' sharing, its chart (and the reopens it asks for), the read-only check,
 * its file's lock bytes, and the perms its driver asks of each child. Reads through peeks; takes
 * a draft only of what changes.
 */
function refreshNode(tx: Tx, before: BlockNode): void {
  const parents = before.parents.map((id) => tx.peekEdge(id));
  checkParentConflicts(tx.g as Graph, before, parents);
  const { perm, shared } = cumulativePerm(parents);
  followWriters(tx, before, perm);
  const node = tx.mustPeekNode(before.name);
  // writers need a node writable once the reopen is done; the text asks whether it is writable now
  if (perm & WRITE_PERMS && !writableAfterReopen(tx, node)) {
    const old = getNode(tx.base, node.name);
    fail(old && !old.readOnly && !node.inactive ? msg.readOnlyWithWriters(node.name) : msg.nodeReadOnly());
  }
  if (node.file) checkFileLocks(tx, node, perm, shared);
  // oldest child first: bdrv_topological_dfs() visits bs->children newest first and prepends
  // each, so among siblings QEMU checks the oldest first
  for (let i = node.children.length - 1; i >= 0; i--) {
    const id = node.children[i]!;
    const edge = tx.peekEdge(id);
    const want = childPerm(tx, node, edge, perm, shared);
    if (edge.perm !== want.perm || edge.shared !== want.shared) setEdgePerm(tx, tx.edge(id), want.perm, want.shared);
    // QEMU's refresh reaches every child, perm changed or not: one whose recorded open flags
    // are stale (QEMU only) may need a new descriptor all the same
    else if (rulesOf(tx.g.model).reopenForgetsOpenFlags && tx.peekNode(edge.child)?.file?.flags) tx.touch(edge.child);
  }
}
