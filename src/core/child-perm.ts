/** bdrv_child_perm(): what a parent node asks of one child, by its driver's rule. */
import { PERM_ALL, type PermSet } from '../perms/perm.js';
import type { BlockNode, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';
import { rulesOf } from '../models/rules.js';

/**
 * bdrv_is_writable_after_reopen(): neither read-only nor inactive, as the pending reopen leaves
 * the node (a node's `readOnly` already follows it; its inactive flag waits for the commit).
 */
export function writableAfterReopen(tx: Tx, node: BlockNode): boolean {
  return !node.readOnly && !(tx.reopenInactive?.get(node.name) ?? node.inactive);
}

/** The parent driver's rule, then the child's force-share override. */
export function childPerm(
  tx: Tx,
  parent: BlockNode,
  edge: { readonly name: string; readonly role: number; readonly child: NodeName },
  perm: PermSet,
  shared: PermSet,
): { perm: PermSet; shared: PermSet } {
  const rule = tx.policy(parent.driver).childPerm;
  if (!rule) throw new Error(`internal: driver ${parent.driver} has no children`);
  const want = rule({ perm, shared, role: edge.role, parentWritable: writableAfterReopen(tx, parent), edgeName: edge.name, parent, rules: rulesOf(tx.g.model) });
  const child = tx.peekNode(edge.child);
  return child?.forceShare ? { perm: want.perm, shared: PERM_ALL } : want;
}
