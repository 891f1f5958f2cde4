/** The node that holds a node's data: the file or NBD client below it, through raw and filters. */
import { isFileEdge } from '../graph/file-child.js';
import type { BlockNode, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/** The node holding a node's data, down through raw and filters: a file or NBD client node, if one shows. */
export function dataNodeBelow(tx: Tx, name: NodeName): BlockNode | undefined {
  for (let node = tx.peekNode(name); node; ) {
    if (node.remote || node.file) return node;
    const driver = tx.policy(node.driver);
    if (!driver.isFilter && driver.passesHeader?.(node.options) !== true) return undefined;
    const file = node.children.map((id) => tx.peekEdge(id)).find(isFileEdge);
    node = file && tx.peekNode(file.child);
  }
  return undefined;
}
