/**
 * The jobs' clock: running jobs copy at their speed as simulated time passes, and one whose work
 * is done becomes ready (a mirror) or completes.
 */
import { getJob } from '../graph/graph.js';
import type { Graph, Job } from '../graph/types.js';
import type { Tx } from '../core/tx-state.js';
import { draftJob, emitBlockJobEvent, setJobStatus } from './job-graph.js';
import { completeJob } from './lifecycle.js';
import { writeStepsReached } from './step-writes.js';

const job = (tx: Tx, id: string): Job => getJob(tx.g as Graph, id)!;

/** The job's work is done: mirrors become ready, others complete. */
export function workDone(tx: Tx, id: string): void {
  const current = job(tx, id);
  if (current.plan.kind === 'mirror' && current.completing === null) {
    setJobStatus(tx, id, 'ready');
    emitBlockJobEvent(tx, 'BLOCK_JOB_READY', job(tx, id));
  } else {
    completeJob(tx, id);
  }
}

/** Seconds a running job still needs at its speed (0 = unthrottled: at once); a backup with sync=none never ends by itself. */
function secondsLeft(current: Job): number {
  if (current.plan.kind === 'backup' && current.plan.untilCancelled) return Infinity;
  return current.speed === 0 ? 0 : Math.max(0, current.len - current.offset - (current.carry ?? 0)) / current.speed;
}

/**
 * Moves the clock on by `seconds`: running jobs copy at their speed (0 = at once). Progress
 * counts whole bytes, as QEMU's does (int64 offset and len, job_progress_update()): what the
 * clock earned beyond a whole byte is carried to the next advance, so any split of the same time
 * makes the same progress. QEMU copies in chunks (a commit or stream 512 KiB, a backup 1 MiB, a
 * mirror up to 16 MiB at once) and sleeps until its speed allows the next, so its offset jumps
 * chunk by chunk at the same average rate.
 */
export function advanceJobs(tx: Tx, seconds: number): void {
  tx.g.clock += seconds;
  for (const id of Object.keys(tx.g.jobs)) {
    // a job of the same JobTxn may have ended with one before it
    const current = getJob(tx.g as Graph, id);
    if (current?.status !== 'running') continue;
    const draft = draftJob(tx, id);
    if (seconds >= secondsLeft(current)) {
      writeStepsReached(tx, current, current.offset, current.len);
      draft.offset = current.len;
      delete draft.carry;
      workDone(tx, id);
      continue;
    }
    const earned = (current.carry ?? 0) + current.speed * seconds;
    const whole = Math.floor(earned);
    writeStepsReached(tx, current, current.offset, current.offset + whole);
    draft.offset = Math.min(current.len, current.offset + whole);
    draft.carry = earned - whole;
  }
}

/** Seconds until some running job finishes its work at its speed (Infinity if none will). */
export function nextJobDeadline(jobs: readonly Job[]): number {
  let soonest = Infinity;
  for (const current of jobs) if (current.status === 'running') soonest = Math.min(soonest, secondsLeft(current));
  return soonest;
}
