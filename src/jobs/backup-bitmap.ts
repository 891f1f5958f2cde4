/** A backup's sync bitmap when the job commits or aborts (block/backup.c: backup_cleanup_sync_bitmap()). */
import { setBitmaps } from '../core/bitmaps.js';
import type { Tx } from '../core/tx-state.js';
import { bitmapsOf } from '../graph/bitmaps.js';
import type { JobPlan } from '../graph/types.js';

/**
 * On success (or always, with mode `always`) and unless the mode is `never`, the successor made
 * when the job started takes the bitmap's place (bdrv_dirty_bitmap_abdicate()): a bitmap made
 * then, so it stands first (permgraph puts it first even before bitmaps added since). Otherwise
 * the successor merges back (bdrv_reclaim_dirty_bitmap()) and the bitmap stays where it is. Its
 * bits stay clear either way, and it is no longer busy.
 */
export function finishBackupBitmap(tx: Tx, plan: Extract<JobPlan, { kind: 'backup' }>, success: boolean): void {
  const bitmap = plan.bitmap;
  if (!bitmap || bitmap.mode === 'never' || (!success && bitmap.mode !== 'always')) return;
  const node = tx.peekNode(plan.source);
  const list = node ? bitmapsOf(node) : [];
  const own = list.find((b) => b.name === bitmap.name);
  if (own) setBitmaps(tx, plan.source, [own, ...list.filter((b) => b !== own)]);
}
