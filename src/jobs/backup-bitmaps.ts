/**
 * The anonymous dirty bitmaps a backup keeps while its copy-before-write filter stands
 * (block/copy-before-write.c: cbw_open(); block/block-copy.c: block_copy_state_new();
 * block/backup.c: backup_job_create()):
 * - the sync bitmap's successor, on the source: it records for the frozen bitmap from the job's
 *   start on, at that bitmap's granularity, recording as it did;
 * - block-copy's copy bitmap, disabled, at the copy's cluster size: what the job still has to
 *   copy. QEMU 7.2 keeps it on the filter's source, 10.0 on the filter;
 * - the filter's done bitmap (nothing read through snapshot-access: clear) and its access bitmap
 *   (the copy bitmap as the filter opened, all of the disk), both disabled, on the filter.
 * Nothing writes guest data here, so only the copy and access bitmaps have bits set.
 */
import { findBitmap } from '../graph/bitmaps.js';
import { getNode } from '../graph/graph.js';
import type { Graph, Job } from '../graph/types.js';
import { rulesOf } from '../models/rules.js';
import { copyClusterSize, plannedClusters } from './first-chunk.js';
import { type ByteRange, bytesIn, inGranules } from '../graph/bitmap-bits.js';
import type { PlacedJobBitmap } from './job-bitmap.js';

/**
 * What block-copy's copy bitmap still marks: the clusters the job copies (backup_init_bcs_bitmap():
 * the whole disk, or those of sync=top or sync=bitmap), less those of its first task.
 */
export function copyBitmapDirty(graph: Graph, job: Job): ByteRange[] {
  const { plan } = job;
  if (plan.kind !== 'backup') return [];
  const cluster = copyClusterSize(graph, plan.target);
  const planned = plannedClusters(graph, plan, cluster);
  const all: ByteRange[] = planned ? planned.map((c) => [c * cluster, (c + 1) * cluster]) : [[0, job.len]];
  const ranges = inGranules(all, cluster, getNode(graph, plan.source)?.size ?? job.len);
  // the first task copied a run from the first marked cluster on
  const cut = (ranges[0]?.[0] ?? 0) + (job.copied ?? 0);
  return ranges.flatMap(([from, to]): ByteRange[] => (to <= cut ? [] : [[Math.max(from, cut), to]]));
}

/** The bitmaps one backup job made, oldest first, each with the node it lies on. */
export function backupBitmaps(graph: Graph, job: Job): PlacedJobBitmap[] {
  const { plan, filter } = job;
  if (plan.kind !== 'backup' || filter === null) return [];
  const cluster = copyClusterSize(graph, plan.target);
  const disk = Math.ceil((getNode(graph, plan.source)?.size ?? 0) / cluster) * cluster;
  const made: PlacedJobBitmap[] = [];
  const sync = plan.bitmap && findBitmap(getNode(graph, plan.source)!, plan.bitmap.name);
  if (sync) made.push({ node: plan.source, bitmap: { recording: !sync.disabled, granularity: sync.granularity, count: 0 } });
  const left = bytesIn(copyBitmapDirty(graph, job));
  made.push({ node: rulesOf(graph.model).copyBitmapOnFilter ? filter : plan.source, bitmap: { recording: false, granularity: cluster, count: left } });
  made.push({ node: filter, bitmap: { recording: false, granularity: cluster, count: 0 } });
  made.push({ node: filter, bitmap: { recording: false, granularity: cluster, count: disk } });
  return made;
}
