/**
 * Which AioContext each node runs in: the main loop's, or an iothread's (block.c:
 * bdrv_try_change_aio_context(), which moves a node with every node linked to it, parents and
 * children). Nothing a query shows depends on it; what does is where QEMU 7.2 aborts
 * (src/commands/known-failures.ts). A node linked to a node in another context (blockdev-add
 * naming it as a child) takes the child, with all it is linked to, into its own context
 * (bdrv_attach_child_common()).
 */
import { childEdges, getNode, parentEdges } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/** The nodes linked to `name` through node edges, either way, `name` first. */
export function linkedNodes(graph: Graph, name: NodeName): NodeName[] {
  const seen = new Set<NodeName>([name]);
  const queue = [name];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    const node = getNode(graph, at);
    if (!node) continue;
    const near = [
      ...childEdges(graph, node).map((e) => e.child),
      ...parentEdges(graph, node).flatMap((e) => (e.parent.kind === 'node' ? [e.parent.node] : [])),
    ];
    for (const next of near) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return [...seen];
}

/** `name` and every node linked to it into that iothread's context (null: the main loop's). */
export function moveToContext(tx: Tx, name: NodeName, iothread: string | null): void {
  for (const at of linkedNodes(tx.g as Graph, name)) {
    const node = tx.mustPeekNode(at);
    if ((node.iothread ?? null) === iothread) continue;
    const draft = tx.mustNode(at);
    if (iothread === null) delete draft.iothread;
    else draft.iothread = iothread;
  }
}
