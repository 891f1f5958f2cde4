/**
 * The anonymous dirty bitmap of a mirror (blockdev-mirror, drive-mirror, an active commit), from
 * mirror_start_job() to mirror_exit_common() (block/mirror.c), at its `granularity` (the target's
 * default where none is given). QEMU 7.2 makes it on the source, recording; 10.0 on the
 * mirror_top filter, disabled, the filter marking what the guest writes itself.
 *
 * It marks what is left to copy. The first iteration copies the first run of marked granules, up
 * to the buffer (`buf-size`, 16 MiB by default), before any throttling (the rate limit lets a
 * job's first request through at once), and the clock's progress counts after that; a first read
 * that failed copied nothing (mirror_read_complete() marks its range again). The work is taken as
 * one run from the start.
 */
import { defaultBitmapGranularity } from '../core/bitmap-granularity.js';
import type { Graph, Job } from '../graph/types.js';
import { rulesOf } from '../models/rules.js';
import type { PlacedJobBitmap } from './job-bitmap.js';

/** DEFAULT_MIRROR_BUF_SIZE: MAX_IN_FLIGHT (16) requests of MAX_IO_BYTES (1 MiB). */
const MIRROR_BUF_SIZE = 16 * 1024 * 1024;

export function mirrorBitmap(graph: Graph, job: Job): PlacedJobBitmap | undefined {
  const { plan, filter } = job;
  if (plan.kind !== 'mirror' || filter === null) return undefined;
  const onFilter = rulesOf(graph.model).mirrorBitmapOnFilter;
  const granularity = plan.copy?.granularity ?? defaultBitmapGranularity(graph, plan.target);
  // mirror_start_job(): the buffer in whole granules
  const buffer = Math.ceil((plan.copy?.bufSize ?? MIRROR_BUF_SIZE) / granularity) * granularity;
  const copied = Math.max(job.offset, job.ioFailed ? 0 : Math.min(job.len, buffer));
  const count = Math.ceil(Math.max(0, job.len - copied) / granularity) * granularity;
  return { node: onFilter ? filter : plan.source, bitmap: { recording: !onFilter, granularity, count } };
}
