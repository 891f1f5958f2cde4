/** Closing nodes (block.c: bdrv_unref(), bdrv_close()). */
import type { Graph, NodeName } from '../graph/types.js';
import { removeNode } from './nodes.js';
import type { Tx } from './tx-state.js';

/** A reference a job (x-blockdev-amend's, until dismissed) holds on the node: bdrv_ref(). */
export function heldByJob(g: Graph, name: NodeName): boolean {
  return Object.values(g.jobs).some((job) => (job.plan.kind === 'create' || job.plan.kind === 'amend') && job.plan.holds === name);
}

/**
 * bdrv_unref() of a node nobody references any more: its children go with it when they can,
 * depth first, in the order bdrv_close() lets go of them (a work list: chains of any length).
 */
export function closeNode(tx: Tx, name: NodeName): void {
  const work: { readonly name: NodeName; readonly orphanOnly: boolean }[] = [{ name, orphanOnly: false }];
  for (let next = work.pop(); next; next = work.pop()) {
    const node = tx.peekNode(next.name);
    // a child is closed only if nothing holds it once the nodes before it are gone
    if (!node || (next.orphanOnly && (node.monitorOwned || node.parents.length > 0))) continue;
    // a job's reference keeps it (and so its children) open
    if (heldByJob(tx.g as Graph, next.name)) continue;
    const children = [...new Set(node.children.map((id) => tx.peekEdge(id).child))];
    removeNode(tx, next.name);
    for (let i = children.length - 1; i >= 0; i--) work.push({ name: children[i]!, orphanOnly: true });
  }
}
