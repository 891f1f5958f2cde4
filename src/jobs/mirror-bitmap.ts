/**
 * The anonymous dirty bitmap of a mirror (blockdev-mirror, drive-mirror, an active commit), from
 * mirror_start_job() to mirror_exit_common() (block/mirror.c), at the mirror's granularity,
 * marking what is left to copy (mirror-progress.ts). QEMU 7.2 makes it on the source, recording;
 * 10.0 on the mirror_top filter, disabled, the filter marking what the guest writes itself.
 */
import type { Graph, Job } from '../graph/types.js';
import { rulesOf } from '../models/rules.js';
import type { PlacedJobBitmap } from './job-bitmap.js';
import { mirrorCopied, mirrorGranularity } from './mirror-progress.js';

export function mirrorBitmap(graph: Graph, job: Job): PlacedJobBitmap | undefined {
  const { plan, filter } = job;
  if (plan.kind !== 'mirror' || filter === null) return undefined;
  const onFilter = rulesOf(graph.model).mirrorBitmapOnFilter;
  const granularity = mirrorGranularity(graph, plan);
  const count = Math.ceil(Math.max(0, job.len - mirrorCopied(graph, job)) / granularity) * granularity;
  return { node: onFilter ? filter : plan.source, bitmap: { recording: !onFilter, granularity, count } };
}
