/** A backup's sync bitmap when the job commits or aborts (block/backup.c: backup_cleanup_sync_bitmap()). */
import { setBitmaps } from '../core/bitmaps.js';
import type { Tx } from '../core/tx-state.js';
import { bitmapsOf } from '../graph/bitmaps.js';
import type { Graph, Job } from '../graph/types.js';
import { cleared, withBitsSet } from '../graph/bitmap-bits.js';
import { copyBitmapDirty } from './backup-bitmaps.js';

/**
 * On success (or always, with mode `always`) and unless the mode is `never`, the successor made
 * when the job started takes the bitmap's place (bdrv_dirty_bitmap_abdicate()): a bitmap made
 * then, so it stands first (permgraph puts it first even before bitmaps added since), with the
 * successor's bits (none: nothing writes guest data here). A job that failed with mode `always`
 * then sets in it what it did not copy (block-copy's copy bitmap merged in). Otherwise the
 * successor merges back (bdrv_reclaim_dirty_bitmap()): the bitmap keeps its bits and its place.
 * Either way it is no longer busy.
 */
export function finishBackupBitmap(tx: Tx, job: Job, success: boolean): void {
  const { plan } = job;
  const bitmap = plan.kind === 'backup' ? plan.bitmap : undefined;
  if (plan.kind !== 'backup' || !bitmap || bitmap.mode === 'never' || (!success && bitmap.mode !== 'always')) return;
  const node = tx.peekNode(plan.source);
  const list = node ? bitmapsOf(node) : [];
  const own = list.find((b) => b.name === bitmap.name);
  if (!own) return;
  const successor = success ? cleared(own) : withBitsSet(cleared(own), copyBitmapDirty(tx.g as Graph, job));
  setBitmaps(tx, plan.source, [successor, ...list.filter((b) => b !== own)]);
}
