/**
 * Filenames kept up to date as links change (block.c: bdrv_refresh_filename(), which QEMU runs
 * whenever a filename is asked for).
 */
import type { Graph, NodeName } from '../graph/types.js';
import { nodeFilename } from './filename.js';
import type { Tx } from './tx-state.js';

/**
 * bdrv_refresh_filename() of a node whose links changed. QEMU works a node's filename out anew,
 * its children's first, whenever it is asked for one, so a new name shows in the nodes above it
 * too: here the parents that hold it as any child but a backing follow (a loop, any height). Overlays above
 * a backing keep theirs: along a chain thousands deep that would make every command quadratic,
 * and no recorded scenario shows the difference.
 */
export function refreshFilename(tx: Tx, name: NodeName): void {
  const work = [name];
  for (let at = work.pop(); at !== undefined; at = work.pop()) {
    const node = tx.mustPeekNode(at);
    const filename = nodeFilename(tx.g as Graph, node);
    if (filename === node.filename) continue;
    tx.mustNode(at).filename = filename;
    for (const id of node.parents) {
      const edge = tx.peekEdge(id);
      if (edge.parent.kind === 'node' && edge.name !== 'backing') work.push(edge.parent.node);
    }
  }
}
