/**
 * What a throttled commit's or stream's steps write (block/commit.c: commit_populate(), into the
 * base; block/stream.c: stream_populate(), copy-on-read into the device): the data of each step
 * that copies (chunk-steps.ts), as it takes it: its first as it starts, each further one as the
 * clock's progress reaches it, or as QEMU 7.2 wakes it (throttle-wake.ts). A qcow2 image
 * allocates what the write needs (src/drivers/qcow2-guest-writes.ts); a raw one keeps its length;
 * the node's writes end with the step (wr_highest_offset). What an unthrottled job writes is not
 * simulated, nor what a mirror writes into its target.
 */
import { writeImage } from '../core/image-writes.js';
import type { Tx } from '../core/tx-state.js';
import { recordWrite } from '../core/write-stats.js';
import { writeGuestRange } from '../drivers/qcow2-guest-writes.js';
import { getJob, getNode } from '../graph/graph.js';
import { draftJob } from './job-graph.js';
import type { Graph, Job } from '../graph/types.js';
import type { ByteRange } from '../graph/bitmap-bits.js';
import { nextCopy, writtenNode } from './chunk-steps.js';

/** A step that copies, [from, to), written into the job's image. */
export function writeStep(tx: Tx, job: Job, [from, to]: ByteRange): void {
  const graph = tx.g as Graph;
  const name = writtenNode(graph, job);
  const node = name === undefined ? undefined : getNode(graph, name);
  if (!node || job.speed <= 0) return;
  if (node.driver === 'qcow2' && node.header?.qcow2?.layout) writeImage(tx, node.name, (facts) => writeGuestRange(facts, from, to, true));
  else if (node.driver !== 'raw') return;
  recordWrite(tx, node.name, to);
}

/** A throttled commit's or stream's first step that copies, taken as it starts: written, and its progress counted. */
export function writeFirstStep(tx: Tx, id: string): void {
  const job = getJob(tx.g as Graph, id);
  const first = job && job.speed > 0 && job.status === 'running' ? nextCopy(tx.g as Graph, job, 0) : null;
  if (!job || !first) return;
  writeStep(tx, job, first);
  draftJob(tx, id).offset = first[1];
}

/** The steps that copy and start from `from` up to `to`, written: those the clock's progress reached. */
export function writeStepsReached(tx: Tx, job: Job, from: number, to: number): void {
  if (job.speed <= 0 || writtenNode(tx.g as Graph, job) === undefined) return;
  for (let step = nextCopy(tx.g as Graph, job, from); step !== null && step[0] < to; step = nextCopy(tx.g as Graph, job, step[1])) writeStep(tx, job, step);
}
