/** BlockDeviceInfo's `dirty-bitmaps` (block/qapi.c: bdrv_block_device_info(); block/dirty-bitmap.c: bdrv_query_dirty_bitmaps()). */
import { bitmapBusy, bitmapRecording, bitmapsOf } from '../graph/bitmaps.js';
import type { BlockNode, Graph } from '../graph/types.js';

/**
 * The member when the node has bitmaps, in list order (newest first), each BlockDirtyInfo's
 * members as QEMU 7.2 and 10.0 print them. Bits are never set here: count 0.
 */
export function dirtyBitmapsInfo(graph: Graph, node: BlockNode): { 'dirty-bitmaps'?: Record<string, unknown>[] } {
  const bitmaps = bitmapsOf(node);
  if (bitmaps.length === 0) return {};
  return {
    'dirty-bitmaps': bitmaps.map((b) => ({
      name: b.name,
      recording: bitmapRecording(b),
      persistent: b.persistent,
      busy: bitmapBusy(graph, node.name, b.name),
      granularity: b.granularity,
      count: 0,
    })),
  };
}
