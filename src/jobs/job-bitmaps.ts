/**
 * The anonymous dirty bitmaps running jobs keep on their nodes, as query-named-block-nodes and
 * query-block list them: a backup's (backup-bitmaps.ts) and a mirror's (mirror-bitmap.ts).
 */
import { jobsInOrder } from '../graph/graph.js';
import type { Graph, Job, NodeName } from '../graph/types.js';
import type { JobBitmap, PlacedJobBitmap } from './job-bitmap.js';
import { backupBitmaps } from './backup-bitmaps.js';
import { mirrorBitmap } from './mirror-bitmap.js';

function bitmapsOfJob(graph: Graph, job: Job): readonly PlacedJobBitmap[] {
  if (job.plan.kind === 'backup') return backupBitmaps(graph, job);
  const mirror = mirrorBitmap(graph, job);
  return mirror ? [mirror] : [];
}

/** The anonymous bitmaps on `node`, newest first (bs->dirty_bitmaps), after its named ones were made. */
export function jobBitmapsOn(graph: Graph, node: NodeName): JobBitmap[] {
  const on: JobBitmap[] = [];
  for (const job of jobsInOrder(graph)) for (const made of bitmapsOfJob(graph, job)) if (made.node === node) on.push(made.bitmap);
  return on.reverse();
}
