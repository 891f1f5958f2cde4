/**
 * Finding a dirty bitmap and asking whether it may be used, for the commands and jobs that name
 * one (block/monitor/bitmap-qmp-cmds.c: block_dirty_bitmap_lookup(); block/dirty-bitmap.c:
 * bdrv_dirty_bitmap_check()).
 */
import { bitmapBusy, findBitmap } from '../graph/bitmaps.js';
import { getNode } from '../graph/graph.js';
import type { BlockNode, DirtyBitmap, Graph } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';

export interface Found {
  readonly node: BlockNode;
  readonly bitmap: DirtyBitmap;
}

/** block_dirty_bitmap_lookup(): the node (by device or node name), then its bitmap. */
export function lookupBitmap(graph: Graph, nodeName: string, name: string): Found {
  const node = getNode(graph, nodeName);
  if (!node) fail(msg.bitmapNodeNotFound(nodeName));
  const bitmap = findBitmap(node, name);
  if (!bitmap) fail(msg.bitmapNotFound(name));
  return { node, bitmap };
}

/** The flags of bdrv_dirty_bitmap_check() (inconsistent bitmaps are not simulated: none is loaded so). */
export const BUSY = 1;
export const RO = 2;
/** BDRV_BITMAP_DEFAULT and BDRV_BITMAP_ALLOW_RO. */
export const DEFAULT = BUSY | RO;
export const ALLOW_RO = BUSY;

/** bdrv_dirty_bitmap_check(): busy, then read-only, as `flags` ask. */
export function checkBitmap(graph: Graph, found: Found, flags: number): void {
  if (flags & BUSY && bitmapBusy(graph, found.node.name, found.bitmap.name)) fail(msg.bitmapBusy(found.bitmap.name));
  if (flags & RO && found.bitmap.readonly) fail(msg.bitmapReadOnly(found.bitmap.name));
}
