/**
 * BlockDeviceInfo's `dirty-bitmaps` (block/qapi.c: bdrv_block_device_info(); block/dirty-bitmap.c:
 * bdrv_query_dirty_bitmaps()), and the bitmaps a qcow2 image stores.
 */
import { bitmapBusy, bitmapRecording, bitmapsOf } from '../graph/bitmaps.js';
import { childByName, getNode } from '../graph/graph.js';
import type { BlockNode, Graph } from '../graph/types.js';
import { jobBitmapsOn } from '../jobs/job-bitmaps.js';
import { dirtyCount } from '../graph/bitmap-bits.js';

/**
 * The member when the node has bitmaps, in list order (newest first), each BlockDirtyInfo's
 * members as QEMU 7.2 and 10.0 print them: first the anonymous ones a running backup made
 * (src/jobs/backup-bitmaps.ts; taken to be newer than the named ones), then the named ones.
 */
export function dirtyBitmapsInfo(graph: Graph, node: BlockNode): { 'dirty-bitmaps'?: Record<string, unknown>[] } {
  const bitmaps = bitmapsOf(node);
  const anonymous = jobBitmapsOn(graph, node.name);
  if (bitmaps.length === 0 && anonymous.length === 0) return {};
  return {
    'dirty-bitmaps': [
      ...anonymous.map((b) => ({ recording: b.recording, persistent: false, busy: false, granularity: b.granularity, count: b.count })),
      ...bitmaps.map((b) => ({
        name: b.name,
        recording: bitmapRecording(b),
        persistent: b.persistent,
        busy: bitmapBusy(graph, node.name, b.name),
        granularity: b.granularity,
        count: dirtyCount(b),
      })),
    ],
  };
}

/** The file a format node's image lives in, down its `file` links. */
function imageFile(graph: Graph, node: BlockNode): BlockNode | undefined {
  let at: BlockNode | undefined = node;
  for (let hops = 0; at && !at.file && hops < 64; hops++) {
    const file = childByName(graph, at, 'file');
    at = file && getNode(graph, file.child);
  }
  return at?.file ? at : undefined;
}

/**
 * ImageInfoSpecificQCow2's `bitmaps` (qcow2_get_bitmap_info_list()): the image's bitmap directory
 * as it lies in the file, each bitmap `in-use` while a read-write node has it loaded (the flag
 * qcow2_load_dirty_bitmaps() and qcow2_reopen_bitmaps_rw() set and storing clears) and `auto`
 * where it was stored recording; absent when the directory is empty.
 */
export function storedBitmapsInfo(graph: Graph, node: BlockNode): { bitmaps?: Record<string, unknown>[] } {
  const identity = imageFile(graph, node)?.file?.identity;
  const stored = identity === undefined ? [] : (graph.storedBitmaps?.[identity] ?? []);
  if (stored.length === 0) return {};
  const loaded = new Set(bitmapsOf(node).filter((b) => b.persistent && !b.readonly).map((b) => b.name));
  const inUse = (name: string): boolean => !node.readOnly && !node.inactive && loaded.has(name);
  return {
    bitmaps: stored.map((s) => ({ name: s.name, granularity: s.granularity, flags: [...(inUse(s.name) ? ['in-use'] : []), ...(s.auto ? ['auto'] : [])] })),
  };
}
