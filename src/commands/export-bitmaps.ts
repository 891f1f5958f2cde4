/**
 * An NBD export's `bitmaps` (nbd/server.c: nbd_export_create()): each found, usable, and marked
 * busy for as long as the export exists.
 */
import { ALLOW_RO, checkBitmap, lookupBitmap, type Found } from '../core/bitmap-checks.js';
import { belowInChain } from '../core/chain.js';
import { findBitmap } from '../graph/bitmaps.js';
import { getNode } from '../graph/graph.js';
import type { BitmapRef, Graph, NodeName } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';

/**
 * A name is looked for on the exported node, then down its filtered and backing children
 * (bdrv_filter_or_cow_bs()); a read-only export refuses an enabled bitmap of a writable node,
 * whose bits could change under the client. A {node, name} is looked up as the bitmap commands do.
 */
function exportBitmap(graph: Graph, exported: NodeName, item: unknown, writable: boolean): Found {
  if (typeof item !== 'string') {
    const { node, name } = item as BitmapRef;
    return lookupBitmap(graph, node, name);
  }
  for (let at: NodeName | null = exported; at !== null; at = belowInChain(graph, at)) {
    const node = getNode(graph, at)!;
    const bitmap = findBitmap(node, item);
    if (!bitmap) continue;
    if (!writable && !node.readOnly && !node.inactive && !bitmap.disabled) fail(msg.exportBitmapEnabled(item));
    return { node, bitmap };
  }
  fail(msg.exportBitmapNotFound(item));
}

/** The export's bitmaps, in the order given (the same one may come twice). */
export function exportBitmaps(graph: Graph, exported: NodeName, items: readonly unknown[] | undefined, writable: boolean): BitmapRef[] {
  return (items ?? []).map((item) => {
    const found = exportBitmap(graph, exported, item, writable);
    checkBitmap(graph, found, ALLOW_RO);
    return { node: found.node.name, name: found.bitmap.name };
  });
}
