/**
 * What a backup's first block-copy task writes into its target (block_copy_do_copy()): the task
 * is one run of one status, so it writes data (bdrv_co_pwrite()) where the source's first run
 * holds data, or where it is shorter than a cluster (block_copy_block_status() then copies one
 * cluster as data), and zeroes (bdrv_co_pwrite_zeroes()) where it reads as zeroes. A qcow2
 * target allocates what the write needs in its image (src/drivers/qcow2-guest-writes.ts); any
 * target ends its writes at the task's end (wr_highest_offset). Where the source's data is not
 * known, or the target is of another format, nothing is written. A backup that copied all its
 * work (its job completes) wrote the rest as well; one cancelled midway, only its first task.
 */
import { skipFilters } from '../core/chain.js';
import { writeImage } from '../core/image-writes.js';
import type { Tx } from '../core/tx-state.js';
import { recordWrite } from '../core/write-stats.js';
import { writeGuestRange } from '../drivers/qcow2-guest-writes.js';
import { fileChildOf } from '../graph/file-child.js';
import { childByName, getNode } from '../graph/graph.js';
import type { Graph, Job, JobPlan, NodeName } from '../graph/types.js';
import { copyBitmapDirty } from './backup-bitmaps.js';
import type { Storage } from '../storage/storage.js';
import { copyClusterSize, firstStatusRun, plannedClusters } from './first-chunk.js';

type BackupPlan = Extract<JobPlan, { readonly kind: 'backup' }>;

/**
 * Whether the source holds data somewhere in [from, to) (true), reads as zeroes there (false), or
 * is not known (undefined): a qcow2 image's clusters, where unallocated its backing's, else zeroes;
 * a raw node's file at its offset; a file's data extents (SEEK_DATA), all data where none are known.
 */
function dataIn(graph: Graph, storage: Storage, name: NodeName, from: number, to: number, depth = 0): boolean | undefined {
  const node = getNode(graph, skipFilters(graph, name));
  if (!node || depth > 64) return undefined;
  const backing = childByName(graph, node, 'backing');
  if (node.driver === 'qcow2') {
    const qcow2 = node.header?.qcow2;
    if (!qcow2?.layout) return undefined;
    const first = Math.floor(from / qcow2.clusterSize);
    const last = Math.ceil(to / qcow2.clusterSize);
    const allocated = new Set(qcow2.layout.flatMap((c) => (c !== null && 'data' in c && c.data >= first && c.data < last ? [c.data] : [])));
    if (allocated.size > 0) return true;
    return backing ? dataIn(graph, storage, backing.child, from, to, depth + 1) : false;
  }
  if (backing) return undefined;
  if (node.driver === 'raw') {
    const file = fileChildOf(graph, node)?.child;
    const offset = Number(node.options['offset'] ?? 0);
    return file === undefined ? undefined : dataIn(graph, storage, file, from + offset, to + offset, depth + 1);
  }
  if (!node.file) return undefined;
  const facts = storage.inspect(node.file.path);
  if ('error' in facts) return undefined;
  return (facts.data ?? [[0, facts.size]]).some(([start, end]) => start < to && from < end);
}

/** [from, to) written into the target: data or zeroes. */
function writeTarget(tx: Tx, plan: BackupPlan, from: number, to: number, data: boolean): void {
  const target = getNode(tx.g as Graph, skipFilters(tx.g as Graph, plan.target));
  if (!target || (target.driver !== 'raw' && !(target.driver === 'qcow2' && target.header?.qcow2?.layout))) return;
  recordWrite(tx, target.name, to);
  if (target.driver === 'qcow2') writeImage(tx, target.name, (facts) => writeGuestRange(facts, from, to, data));
}

/** The first task, `copied` bytes from the first cluster the job copies, written into the backup's target. */
export function writeFirstTask(tx: Tx, plan: BackupPlan, copied: number): void {
  if (copied <= 0) return;
  const graph = tx.g as Graph;
  const cluster = copyClusterSize(graph, plan.target);
  const start = (plannedClusters(graph, plan, cluster)?.[0] ?? 0) * cluster;
  const shortRun = firstStatusRun(graph, tx.env.storage, plan.source, start) < cluster;
  const data = shortRun || dataIn(graph, tx.env.storage, plan.source, start, start + 1);
  if (data !== undefined) writeTarget(tx, plan, start, start + copied, data);
}

/**
 * The rest of a backup that copied all its work, what its copy bitmap still marked after the
 * first task, cluster by cluster into its target: each cluster as data where the source holds any
 * there, else as zeroes, a run of one kind in one write.
 */
export function writeRest(tx: Tx, job: Job): void {
  const { plan } = job;
  // sync=none copies only what the guest is about to overwrite
  if (plan.kind !== 'backup' || plan.untilCancelled) return;
  const graph = tx.g as Graph;
  const cluster = copyClusterSize(graph, plan.target);
  // the copy's clusters end with the disk's last one: its writes end with the disk
  const end = getNode(graph, plan.source)?.size ?? 0;
  for (const [from, to] of copyBitmapDirty(graph, job)) {
    for (let at = from; at < Math.min(to, end); ) {
      const data = dataIn(graph, tx.env.storage, plan.source, at, at + cluster);
      if (data === undefined) return;
      let stop = at + cluster;
      while (stop < Math.min(to, end) && dataIn(graph, tx.env.storage, plan.source, stop, stop + cluster) === data) stop += cluster;
      writeTarget(tx, plan, at, Math.min(stop, end), data);
      at = stop;
    }
  }
}
