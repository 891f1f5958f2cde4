/**
 * Whether a job's whole work is done as soon as it runs, whatever its speed: a backup copies its
 * first block-copy task before its first rate-limit sleep (block_copy_dirty_clusters()), and that
 * task is as long as the source's first run of one allocation status (block_copy_block_status());
 * a commit or stream with no data to copy never sleeps, and an active commit with none is ready.
 */
import { childByName, getNode } from '../graph/graph.js';
import { fileChildOf } from '../graph/file-child.js';
import type { BlockNode, Graph, Job, JobPlan, NodeName } from '../graph/types.js';
import { findBitmap } from '../graph/bitmaps.js';
import { inGranules } from '../graph/bitmap-bits.js';
import type { Storage } from '../storage/storage.js';
import { extentRun, qcow2Run } from '../storage/status-run.js';
import { belowInChain, isFilter, skipFilters } from '../core/chain.js';
import { ownExportedNode } from '../core/nbd-client.js';

type BackupPlan = Extract<JobPlan, { readonly kind: 'backup' }>;

/** BLOCK_COPY_CLUSTER_SIZE_DEFAULT */
const DEFAULT_CLUSTER = 64 * 1024;
const MiB = 1024 * 1024;
/** BLOCK_COPY_MAX_BUFFER: the most one read-and-write task copies. */
const MAX_BUFFER = MiB;

/**
 * bdrv_block_status_above(name, NULL, from, …): the bytes from `from` on that share the first
 * one's allocation status, through filters, raw (and its offset) and NBD (what the server
 * answered: base:allocation) down to the file's data (SEEK_DATA) or a qcow2 image's clusters; an
 * image's unallocated start is read in its backing, as far as both runs go
 * (bdrv_co_common_block_status_above()). Unknown data reads as one run; a backing under an image
 * whose clusters are not known, 0.
 */
export function firstStatusRun(graph: Graph, storage: Storage, name: NodeName, from = 0, depth = 0): number {
  const node = getNode(graph, skipFilters(graph, name));
  if (!node || depth > 64) return 0;
  const rest = Math.max(0, node.size - from);
  const backing = childByName(graph, node, 'backing');
  const layout = node.header?.qcow2?.layout;
  if (node.driver === 'qcow2' && layout && from === 0) {
    const run = qcow2Run(layout, node.header!.qcow2!.clusterSize, node.size);
    const allocated = layout.some((c) => c !== null && 'data' in c && c.data === 0);
    return allocated || !backing ? run : Math.min(run, firstStatusRun(graph, storage, backing.child, 0, depth + 1));
  }
  if (backing) return 0;
  if (node.driver === 'raw') {
    const file = fileChildOf(graph, node)?.child;
    const offset = Number(node.options['offset'] ?? 0);
    return file === undefined ? rest : Math.min(rest, firstStatusRun(graph, storage, file, from + offset, depth + 1));
  }
  if (node.file) {
    const facts = storage.inspect(node.file.path);
    // a file with no extents known holds data up to its end: past it, file-posix reads a hole
    return 'error' in facts ? rest : extentRun(facts.data ?? [[0, facts.size]], from, node.size);
  }
  if (node.remote) {
    const exported = ownExportedNode(graph, node.remote);
    if (exported !== undefined) return Math.min(rest, firstStatusRun(graph, storage, exported, from, depth + 1));
    return from === 0 ? Math.min(rest, node.remote.firstRun ?? rest) : rest;
  }
  return rest;
}

/** vhdx_co_create(): the block size it picks by the image's size when given none. */
function vhdxBlockSize(size: number): number {
  if (size > 32 * 1024 ** 4) return 64 * MiB;
  if (size > 100 * 1024 ** 3) return 32 * MiB;
  return size > 1024 ** 3 ? 16 * MiB : 8 * MiB;
}

/**
 * bdrv_get_info()'s cluster_size for an image made with the defaults (what `qemu-img info` shows
 * as cluster_size): qcow2's clusters, vdi's and a dynamic vpc's blocks (vdi_get_info(),
 * vpc_get_info()), vhdx's blocks; 0 where the driver gives none (raw, a file, parallels) or one
 * of 64 KiB or less (qed, vmdk, qcow).
 */
function infoClusterSize(node: BlockNode): number {
  switch (node.driver) {
    case 'qcow2':
      return node.header?.qcow2?.clusterSize ?? 0;
    case 'vdi':
      return MiB;
    case 'vpc':
      return 2 * MiB;
    case 'vhdx':
      return vhdxBlockSize(node.size);
    default:
      return 0;
  }
}

/**
 * block_copy_calculate_cluster_size(): the target's own cluster size (bdrv_get_info(), filters
 * skipped) where it is larger than 64 KiB; 64 KiB where it has none.
 */
export function copyClusterSize(graph: Graph, target: NodeName): number {
  const node = getNode(graph, skipFilters(graph, target));
  return Math.max(DEFAULT_CLUSTER, node ? infoClusterSize(node) : 0);
}

/**
 * The bytes a backup's first block-copy task reads from the start of its source: one cluster
 * where the source's first run of one status is shorter, else that run in whole clusters (rounded
 * up where it reaches the disk's end, else down), at most max(cluster, 1 MiB), and no more than
 * the job's work.
 */
export function firstTaskBytes(graph: Graph, storage: Storage, current: Job): number {
  const { plan, len } = current;
  if (plan.kind !== 'backup') return 0;
  const cluster = copyClusterSize(graph, plan.target);
  const dirty = plannedClusters(graph, plan, cluster);
  // sync=top or bitmap: the first run of the clusters to copy
  if (dirty) return Math.min(firstRunOf(dirty), Math.max(1, MAX_BUFFER / cluster)) * cluster;
  const most = Math.max(cluster, MAX_BUFFER);
  const run = Math.min(firstStatusRun(graph, storage, plan.source), most, len);
  if (run < cluster) return Math.min(cluster, len);
  // block_copy_block_status(): a run that reaches the disk's end is rounded up, any other down
  const task = run === len ? Math.ceil(run / cluster) * cluster : Math.floor(run / cluster) * cluster;
  return Math.min(task, most, len);
}

/**
 * The job's whole work is done as soon as it runs. A backup's first task is one cluster where the
 * source's first run of one status is shorter than that, else that run in whole clusters (rounded
 * up at the end of the disk), at most max(cluster, 1 MiB) (block_copy_task_create(),
 * block_copy_block_status()), a cluster being the target's own where larger than 64 KiB. So a
 * backup ends at once when the disk is one cluster, or when it is no larger than a task and reads
 * as one run (a raw file made by qemu-img does not: file-posix wrote its first block). A mirror
 * waits for its next iteration to become ready, and a backup with sync=none runs until cancelled.
 * A commit or stream sleeps only after copying data (commit_run(), stream_run():
 * block_job_ratelimit_processed_bytes() for what was copied), so one ends at once when it has
 * nothing to do, or when the images it copies from are known to hold nothing.
 */
export function doneAtOnce(graph: Graph, storage: Storage, current: Job): boolean {
  const { plan, len } = current;
  if (plan.kind === 'commit' || plan.kind === 'stream') return len <= 0 || copiesNothing(graph, plan);
  if (plan.kind !== 'backup' || plan.untilCancelled) return plan.kind !== 'mirror' && len <= 0;
  const cluster = copyClusterSize(graph, plan.target);
  const dirty = plannedClusters(graph, plan, cluster);
  // the clusters to copy, in one run of one task (the top image's data reads as one status)
  if (dirty) return firstRunOf(dirty) === dirty.length && dirty.length * cluster <= Math.max(cluster, MAX_BUFFER);
  if (len <= cluster) return true;
  return len <= Math.max(cluster, MAX_BUFFER) && firstStatusRun(graph, storage, plan.source) >= len;
}

/**
 * Whether every image a commit or stream copies from holds nothing: a commit copies what is
 * allocated from its top down to the base (bdrv_is_allocated_above(top, base_overlay)), a stream
 * what is allocated below its device down to the base.
 */
function copiesNothing(graph: Graph, plan: Extract<JobPlan, { readonly kind: 'commit' | 'stream' }>): boolean {
  return chainHoldsNothing(graph, plan.kind === 'commit' ? plan.top : belowInChain(graph, plan.device), plan.base);
}

/**
 * A mirror with nothing to mirror: mirror_dirty_init() marks what is allocated from the source
 * down to the base (an active commit's target; with sync=top the source's backing), nothing here,
 * so its first iteration finds the job ready. With sync=full it marks every byte.
 */
export function nothingToMirror(graph: Graph, plan: JobPlan): boolean {
  if (plan.kind !== 'mirror') return false;
  if (plan.isCommit) return chainHoldsNothing(graph, plan.source, plan.target);
  const top = skipFilters(graph, plan.source);
  return plan.onlyTop === true && chainHoldsNothing(graph, top, belowInChain(graph, top));
}

/** Whether the images from `first` down to `base` (without it) hold nothing (filters hold nothing of their own). */
function chainHoldsNothing(graph: Graph, first: NodeName | null, base: NodeName | null): boolean {
  for (let iter = first; iter !== null && iter !== base; iter = belowInChain(graph, iter)) {
    const node = getNode(graph, iter);
    if (!node || (!isFilter(node.driver) && !imageHoldsNothing(node))) return false;
  }
  return true;
}

/** A qcow2 image known to allocate no cluster, not even as zeroes: its layout has no L2 table. */
function imageHoldsNothing(node: BlockNode): boolean {
  const layout = node.header?.qcow2?.layout;
  return node.driver === 'qcow2' && layout !== undefined && !layout.some((c) => c !== null && ('l2' in c || 'data' in c));
}

/** How many of the clusters, from the first, follow each other. */
function firstRunOf(clusters: readonly number[]): number {
  let n = 0;
  while (n < clusters.length && clusters[n] === clusters[0]! + n) n++;
  return n;
}

/**
 * backup_run() for sync=top: block_copy_reset_unallocated() leaves dirty only the clusters the
 * top image allocates itself (bdrv_is_allocated()), in order; undefined where that is not known
 * or is all of it (an image with no backing allocates every byte).
 */
function topDirtyClusters(graph: Graph, source: NodeName, cluster: number): number[] | undefined {
  const node = getNode(graph, skipFilters(graph, source));
  const qcow2 = node?.header?.qcow2;
  if (!node || node.driver !== 'qcow2' || !qcow2?.layout || !childByName(graph, node, 'backing')) return undefined;
  const dirty = new Set<number>();
  for (const host of qcow2.layout) if (host && 'data' in host) dirty.add(Math.floor((host.data * qcow2.clusterSize) / cluster));
  return [...dirty].sort((a, b) => a - b);
}

/**
 * backup_init_bcs_bitmap(): the clusters a backup copies where it copies less than the disk, in
 * order: for sync=top those the top image allocates (undefined where that is not known or is all
 * of it), for sync=bitmap those the sync bitmap marks (merged into the copy's clusters).
 */
export function plannedClusters(graph: Graph, plan: BackupPlan, cluster: number): number[] | undefined {
  if (plan.onlyTop) return topDirtyClusters(graph, plan.source, cluster);
  if (!plan.bitmap?.sync) return undefined;
  const source = getNode(graph, plan.source);
  const bitmap = source && findBitmap(source, plan.bitmap.name);
  const clusters: number[] = [];
  for (const [from, to] of inGranules(bitmap?.dirty ?? [], cluster, source?.size ?? 0)) {
    for (let at = from; at < to; at += cluster) clusters.push(at / cluster);
  }
  return clusters;
}

/** A backup's work (its job's len): the whole disk, or the clusters it copies where fewer. */
export function backupLength(graph: Graph, plan: BackupPlan, size: number): number {
  const dirty = plannedClusters(graph, plan, copyClusterSize(graph, plan.target));
  return dirty === undefined ? size : Math.min(size, dirty.length * copyClusterSize(graph, plan.target));
}
