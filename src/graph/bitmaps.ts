/**
 * Reading a graph's dirty bitmaps (block/dirty-bitmap.c): finding one, whether it is busy, and
 * what x-debug-block-dirty-bitmap-sha256 hashes for it.
 */
import { exportsInOrder, jobsInOrder } from './graph.js';
import type { BlockNode, DirtyBitmap, Graph, NodeName } from './types.js';

/** BDRV_SECTOR_SIZE: bdrv_getlength() counts whole sectors. */
const SECTOR = 512;

/** A node's bitmaps, newest first (bs->dirty_bitmaps). */
export const bitmapsOf = (node: BlockNode): readonly DirtyBitmap[] => node.bitmaps ?? [];

/** bdrv_find_dirty_bitmap(). */
export const findBitmap = (node: BlockNode, name: string): DirtyBitmap | undefined => bitmapsOf(node).find((b) => b.name === name);

/** bdrv_getlength(): the node's size in whole sectors. */
export const nodeLength = (node: BlockNode): number => Math.ceil(node.size / SECTOR) * SECTOR;

/**
 * bdrv_dirty_bitmap_busy(): a backup job syncing it has frozen it (bdrv_dirty_bitmap_create_successor(),
 * until the job's commit or abort), or an NBD export exports it (nbd_export_create(), until the
 * export is gone).
 */
export function bitmapBusy(graph: Graph, node: NodeName, name: string): boolean {
  const byJob = jobsInOrder(graph).some(
    (job) =>
      job.plan.kind === 'backup' &&
      job.plan.source === node &&
      job.plan.bitmap?.name === name &&
      job.status !== 'concluded' &&
      job.status !== 'null',
  );
  return byJob || exportsInOrder(graph).some((exp) => (exp.bitmaps ?? []).some((b) => b.node === node && b.name === name));
}

/** bdrv_dirty_bitmap_recording(): enabled (a frozen bitmap records through its successor, enabled as it was). */
export const bitmapRecording = (bitmap: DirtyBitmap): boolean => !bitmap.disabled;
