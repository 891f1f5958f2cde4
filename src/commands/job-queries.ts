/** The job queries: query-jobs (JobInfo) and query-block-jobs (BlockJobInfo), in job order. */
import { jobsInOrder } from '../graph/graph.js';
import type { Graph, Job } from '../graph/types.js';
import { rulesOf } from '../models/rules.js';
import { isBlockJob } from '../jobs/image-jobs.js';

/** query-jobs (JobInfo): newest first, as job_create() puts each job at the head of the list. */
export function jobInfo(graph: Graph): Record<string, unknown>[] {
  return jobsInOrder(graph).reverse().map((job) => ({
    id: job.id,
    type: job.type,
    status: job.status,
    'current-progress': job.offset,
    'total-progress': job.len,
    ...(job.error !== undefined && { error: job.error }),
  }));
}

/** A mirror in write-blocking mode is actively synced once ready (mirror_run()), or at once over an empty source. */
const activelySynced = (job: Job): boolean => job.len === 0 || (job.copyMode === 'write-blocking' && ['ready', 'standby'].includes(job.status));

/**
 * query-block-jobs (BlockJobInfo), concluded ones too (with their error). QEMU 8.2 made it a union on the
 * type; its mirror variant (mirror_query(); not an active commit) has `actively-synced`.
 */
export function blockJobInfo(graph: Graph): Record<string, unknown>[] {
  const mirrorVariant = rulesOf(graph.model).qapiRelease >= 802;
  return jobsInOrder(graph)
    .filter(isBlockJob)
    .map((job) => ({
      type: job.type,
      device: job.id,
      len: job.len,
      offset: job.offset,
      busy: job.status === 'running',
      paused: job.userPaused,
      speed: job.speed,
      'io-status': job.ioFailed ? 'failed' : 'ok',
      ready: job.status === 'ready' || job.status === 'standby',
      status: job.status,
      'auto-finalize': job.autoFinalize,
      'auto-dismiss': job.autoDismiss,
      ...(mirrorVariant && job.type === 'mirror' ? { 'actively-synced': activelySynced(job) } : {}),
      ...(job.error !== undefined ? { error: job.error } : {}),
    }));
}
