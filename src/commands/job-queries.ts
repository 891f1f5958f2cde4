/** The job queries: query-jobs (JobInfo) and query-block-jobs (BlockJobInfo), in job order. */
import { jobsInOrder } from '../graph/graph.js';
import type { Graph } from '../graph/types.js';

/** query-jobs (JobInfo). */
export function jobInfo(graph: Graph): Record<string, unknown>[] {
  return jobsInOrder(graph).map((job) => ({
    id: job.id,
    type: job.type,
    status: job.status,
    'current-progress': job.offset,
    'total-progress': job.len,
    ...(job.error !== undefined && { error: job.error }),
  }));
}

/** query-block-jobs (BlockJobInfo), for jobs not yet concluded. */
export function blockJobInfo(graph: Graph): Record<string, unknown>[] {
  return jobsInOrder(graph)
    .filter((job) => job.status !== 'concluded')
    .map((job) => ({
      type: job.type,
      device: job.id,
      len: job.len,
      offset: job.offset,
      busy: job.status === 'running',
      paused: job.userPaused,
      speed: job.speed,
      'io-status': 'ok',
      ready: job.status === 'ready' || job.status === 'standby',
      status: job.status,
      'auto-finalize': job.autoFinalize,
      'auto-dismiss': job.autoDismiss,
    }));
}
