/**
 * What a mirror has copied, as mirror_run() counts it (block/mirror.c): its granularity (the
 * `granularity` given, else the target's default), its buffer (`buf-size`, 16 MiB by default, in
 * whole granules), and the iterations: each copies the next run of marked granules up to one
 * buffer. The first runs before any throttling (the rate limit lets a job's first request
 * through at once); the clock's progress counts after that. A first read that failed copied
 * nothing (mirror_read_complete() marks its range again). The work is taken as one run from the
 * start.
 */
import { defaultBitmapGranularity } from '../core/bitmap-granularity.js';
import type { Graph, Job, JobPlan } from '../graph/types.js';

type MirrorPlan = Extract<JobPlan, { readonly kind: 'mirror' }>;

/** DEFAULT_MIRROR_BUF_SIZE: MAX_IN_FLIGHT (16) requests of MAX_IO_BYTES (1 MiB). */
const MIRROR_BUF_SIZE = 16 * 1024 * 1024;

export const mirrorGranularity = (graph: Graph, plan: MirrorPlan): number => plan.copy?.granularity ?? defaultBitmapGranularity(graph, plan.target);

/** mirror_start_job(): the buffer in whole granules. */
export function mirrorBuffer(graph: Graph, plan: MirrorPlan): number {
  const granularity = mirrorGranularity(graph, plan);
  return Math.ceil((plan.copy?.bufSize ?? MIRROR_BUF_SIZE) / granularity) * granularity;
}

/** The bytes of its work a running mirror has copied: its first iteration's at least. */
export function mirrorCopied(graph: Graph, job: Job): number {
  if (job.plan.kind !== 'mirror') return job.offset;
  return Math.max(job.offset, job.ioFailed ? 0 : Math.min(job.len, mirrorBuffer(graph, job.plan)));
}
