/**
 * Heights: a node stands one above its highest child, so a parent always stands higher than its
 * children and the refresh can go highest first. Kept as links change, by work lists (chains of
 * any length).
 */
import type { BlockNode, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/** `node` stands at least at `height`, and its ancestors above it. */
export function raiseHeight(tx: Tx, node: BlockNode, height: number): void {
  if (height <= node.height) return;
  const work: [NodeName, number][] = [[node.name, height]];
  for (let next = work.pop(); next; next = work.pop()) {
    const [name, at] = next;
    const current = tx.mustPeekNode(name);
    if (at <= current.height) continue;
    tx.mustNode(name).height = at;
    for (const id of current.parents) {
      const parent = tx.peekEdge(id).parent;
      if (parent.kind === 'node') work.push([parent.node, at + 1]);
    }
  }
}

/** `node` stands just above its highest child again, and its ancestors follow. */
export function lowerHeight(tx: Tx, node: BlockNode): void {
  if (node.children.length === 0 && node.height === 0) return;
  const work: NodeName[] = [node.name];
  for (let name = work.pop(); name !== undefined; name = work.pop()) {
    const current = tx.mustPeekNode(name);
    const height = current.children.reduce((h, id) => Math.max(h, tx.mustPeekNode(tx.peekEdge(id).child).height + 1), 0);
    if (height >= current.height) continue;
    tx.mustNode(name).height = height;
    for (const id of current.parents) {
      const parent = tx.peekEdge(id).parent;
      if (parent.kind === 'node') work.push(parent.node);
    }
  }
}
