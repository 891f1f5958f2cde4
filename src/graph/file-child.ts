/**
 * bs->file: the child a node reads its data through. bdrv_child_cb_attach() (block.c) makes a
 * PRIMARY child that is not COW the node's `file`, whatever its name: `file` mostly, blkdebug's
 * `image`, blkverify's `raw`.
 */
import { childEdges } from './graph.js';
import type { BlockNode, Edge, Graph } from './types.js';

const PRIMARY = 0x10;
const COW = 0x08;

/** Whether an edge is its parent's bs->file. */
export const isFileEdge = (edge: Edge): boolean => edge.name === 'file' || ((edge.role & PRIMARY) !== 0 && (edge.role & COW) === 0);

/** The node's bs->file edge, if it has one. */
export function fileChildOf(g: Graph, node: BlockNode): Edge | undefined {
  const children = childEdges(g, node);
  return children.find((e) => e.name === 'file') ?? children.find(isFileEdge);
}
