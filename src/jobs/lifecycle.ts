/**
 * A job's life after its start (job.c, blockjob.c and each job's prepare/commit/abort/clean):
 * progress on the clock, ready, pending, finalize, cancel, dismiss, and what each does to the
 * graph. Each model's rule says whether an active commit's base drops back to read-only: never in
 * QEMU 7.2, when aborted in QEMU 10.0, whenever there is no pivot in the dynamic model.
 */
import { writeRest } from './backup-writes.js';
import { finishBackupBitmap } from './backup-bitmap.js';
import { replaceNodeNoperm } from '../core/links.js';
import { refresh } from '../core/refresh.js';
import type { Tx } from '../core/tx-state.js';
import { getJob } from '../graph/graph.js';
import type { Graph, Job, JobPlan, NodeName } from '../graph/types.js';
import { removeBackend } from '../core/backends.js';
import { belowInChain } from '../core/chain.js';
import { doneAtOnce } from './first-chunk.js';
import { rulesOf, type ModelRules } from '../models/rules.js';
import { isCompleted, txnJobs } from './job-txn.js';
import { releaseHeldNode } from './image-jobs.js';
import { restoreReadOnly, setBacking, switchOver, writeBackingName } from './job-graph-edits.js';
import {
  afterReply,
  closeIfOrphan,
  draftJob,
  dropFilter,
  emitBlockJobEvent,
  removeJobBackends,
  removeJobEdges,
  setJobStatus,
} from './job-graph.js';

const job = (tx: Tx, id: string): Job => getJob(tx.g as Graph, id)!;

type PlanOf<K extends JobPlan['kind']> = Extract<JobPlan, { readonly kind: K }>;

/** commit_prepare() / commit_abort(), then commit_clean(). */
function finishCommit(tx: Tx, id: string, plan: PlanOf<'commit'>, filter: NodeName | null, success: boolean): void {
  // the base's writer goes before the chain changes
  const [baseBackend, ...rest] = job(tx, id).backends;
  if (baseBackend !== undefined) {
    removeBackend(tx, baseBackend);
    draftJob(tx, id).backends = rest;
    refresh(tx);
  }
  if (success && filter && tx.node(filter)) {
    // bdrv_drop_intermediate(): whatever used the commit filter now uses the base, and each
    // overlay's header names it (update_filename: bdrv_change_backing_file())
    const overlays = tx.mustPeekNode(filter).parents.map((e) => tx.peekEdge(e)).flatMap((e) => (e.parent.kind === 'node' && e.name === 'backing' ? [e.parent.node] : []));
    replaceNodeNoperm(tx, filter, plan.base);
    refresh(tx);
    for (const overlay of overlays) writeBackingName(tx, overlay, plan.base);
    closeIfOrphan(tx, filter);
  } else if (filter) {
    // the job's blockers go first so that consistent read can be granted again
    removeJobEdges(tx, id);
    dropFilter(tx, filter);
  }
  // commit_clean()
  if (plan.baseWasReadOnly) restoreReadOnly(tx, plan.base);
  removeJobBackends(tx, id);
  refresh(tx);
}

/** mirror_exit_common(): the switch over to the target, or not, and the mirror's clean-up. */
function finishMirror(tx: Tx, id: string, plan: PlanOf<'mirror'>, filter: NodeName | null, success: boolean): void {
  const pivot = success && job(tx, id).completing !== 'no-pivot';
  if (filter && tx.node(filter)) {
    const node = tx.mustNode(filter);
    node.options = { ...node.options, 'x-stopping': true };
    tx.touch(filter);
    refresh(tx);
  }
  // the target's backend goes before anything moves onto the target
  removeJobBackends(tx, id);
  refresh(tx);
  if (pivot) switchOver(tx, plan.replaces ?? plan.source, plan.target);
  removeJobEdges(tx, id);
  if (filter) dropFilter(tx, filter);
  if (plan.baseWasReadOnly && baseBackToReadOnly(rulesOf(tx.g.model).activeCommitBaseBackToReadOnly, success, pivot)) restoreReadOnly(tx, plan.target);
  closeIfOrphan(tx, plan.target);
}

/** Whether an active commit's base goes back to read-only as the job ends (QEMU 7.2 never does). */
function baseBackToReadOnly(rule: ModelRules['activeCommitBaseBackToReadOnly'], success: boolean, pivot: boolean): boolean {
  if (rule === 'on-abort') return !success;
  return rule === 'unless-pivot' && !pivot;
}

/** stream_prepare() and stream_clean(). */
function finishStream(tx: Tx, id: string, plan: PlanOf<'stream'>, filter: NodeName | null, success: boolean): void {
  // the new backing is what is below above_base now, if the device still has one
  if (success && tx.peekNode(plan.device)?.children.some((edge) => tx.peekEdge(edge).name === 'backing')) {
    const base = belowInChain(tx.g as Graph, plan.aboveBase);
    setBacking(tx, plan.device, base);
    writeBackingName(tx, plan.device, base);
  }
  if (filter) dropFilter(tx, filter);
  removeJobBackends(tx, id);
  refresh(tx);
  if (plan.deviceWasReadOnly) restoreReadOnly(tx, plan.device);
}

/** backup_clean(): block_job_remove_all_bdrv(), then bdrv_cbw_drop(). */
function finishBackup(tx: Tx, id: string, filter: NodeName | null): void {
  removeJobEdges(tx, id);
  if (filter) dropFilter(tx, filter);
  refresh(tx);
}

/** What a job does to the graph when it ends: `success` = its .prepare ran and succeeded. */
function finishGraph(tx: Tx, id: string, success: boolean): void {
  const { plan, filter } = job(tx, id);
  switch (plan.kind) {
    case 'commit':
      finishCommit(tx, id, plan, filter, success);
      break;
    case 'mirror':
      finishMirror(tx, id, plan, filter, success);
      break;
    case 'stream':
      finishStream(tx, id, plan, filter, success);
      break;
    case 'backup':
      finishBackupBitmap(tx, job(tx, id), success);
      finishBackup(tx, id, filter);
      break;
  }
  draftJob(tx, id).filter = null;
}


function conclude(tx: Tx, id: string): void {
  setJobStatus(tx, id, 'concluded');
  if (job(tx, id).autoDismiss) dismissJob(tx, id);
}

/** job_do_dismiss(): the job lets go of its nodes and is gone. */
export function dismissJob(tx: Tx, id: string): void {
  removeJobEdges(tx, id);
  removeJobBackends(tx, id);
  refresh(tx);

  setJobStatus(tx, id, 'null');
  const gone = job(tx, id);
  delete tx.g.jobs[id];
  releaseHeldNode(tx, gone);
}

/** job_finalize_single() on success: prepare, clean, BLOCK_JOB_COMPLETED, concluded. */
export function finalizeJob(tx: Tx, id: string): void {
  finishGraph(tx, id, true);
  emitBlockJobEvent(tx, 'BLOCK_JOB_COMPLETED', job(tx, id));
  conclude(tx, id);
}

/**
 * job_exit(): the end of a job whose coroutine has returned, when a command sets it off (cancel,
 * complete, resume of a completed job). What qemu-storage-daemon 7.2 shows
 * (test/fixtures/job-event-timing.json): a mirror (blockdev-mirror, drive-mirror, active commit)
 * drains its source on its way out (bdrv_drained_begin() in mirror_run()), so its coroutine
 * returns, and the main loop ends it, only after the command's reply: its events are deferred.
 * A commit, stream or backup returns at once, and it has ended before the reply. A pending job
 * has no coroutine left: job-finalize or job-cancel ends it within the command.
 */
function jobExit(tx: Tx, id: string, end: () => void): void {
  const current = job(tx, id);
  if (current.plan.kind === 'mirror' && current.status !== 'pending') afterReply(tx, end);
  else end();
}

/**
 * job_completed_txn_success(): waiting until every job of its JobTxn has completed, then all
 * pending, and on to finalize when that is automatic for all of them.
 */
export function completeJob(tx: Tx, id: string): void {
  // backup_run() copied all its work: the tasks after the first wrote the rest into the target
  writeRest(tx, job(tx, id));
  jobExit(tx, id, () => {
    setJobStatus(tx, id, 'waiting');
    const group = txnJobs(tx.g as Graph, job(tx, id));
    if (group.some((other) => !isCompleted(other))) return;
    for (const other of group) {
      setJobStatus(tx, other.id, 'pending');
      if (!other.autoFinalize) emitBlockJobEvent(tx, 'BLOCK_JOB_PENDING', job(tx, other.id));
    }
    if (group.every((other) => other.autoFinalize)) for (const other of group) finalizeJob(tx, other.id);
  });
}

/** job_completed_txn_abort(): aborting, the graph restored, BLOCK_JOB_CANCELLED, concluded. */
export function abortJob(tx: Tx, id: string): void {
  draftJob(tx, id).cancelled = true;
  // job_cancel_async(): a job the user paused is resumed before it ends (within the command:
  // the coroutine it enters reaches its pause point at once)
  const { status } = job(tx, id);
  if (status === 'paused') setJobStatus(tx, id, 'running');
  else if (status === 'standby') setJobStatus(tx, id, 'ready');
  jobExit(tx, id, () => {
    const group = txnJobs(tx.g as Graph, job(tx, id));
    setJobStatus(tx, id, 'aborting');
    finishGraph(tx, id, false);
    emitBlockJobEvent(tx, 'BLOCK_JOB_CANCELLED', job(tx, id));
    conclude(tx, id);
    abortPeers(tx, id, group);
  });
}

/** job_cancel(): a ready mirror cancelled without force completes without switching over. */
export function cancelJob(tx: Tx, id: string, force: boolean): void {
  const current = job(tx, id);
  if (current.status === 'concluded') return dismissJob(tx, id);
  if (current.plan.kind === 'mirror' && current.status === 'ready' && !force) {
    draftJob(tx, id).completing = 'no-pivot';
    return completeJob(tx, id);
  }
  abortJob(tx, id);
}

/**
 * job_start(): the job runs at once, until it first yields. One with nothing to copy (len 0, or
 * a commit or stream over images that hold no data: first-chunk.ts) returns from its run there,
 * and one that fails at its start (a mirror whose target's size differs from its source's, a
 * commit whose base cannot grow: `failure`) fails there; either way job_exit(), a bottom half,
 * ends it after the reply.
 */
export function runJob(tx: Tx, id: string, failure: string | null = null): void {
  setJobStatus(tx, id, 'running');
  if (failure !== null) {
    afterReply(tx, () => failJob(tx, id, failure));
  } else if (doneAtOnce(tx.g as Graph, tx.env.storage, job(tx, id))) {
    afterReply(tx, () => completeJob(tx, id));
  }
}

/** job_completed() of a job whose run returned an error: aborting, the graph restored, BLOCK_JOB_COMPLETED with the error, concluded. */
export function failJob(tx: Tx, id: string, failure: string): void {
  const group = txnJobs(tx.g as Graph, job(tx, id));
  draftJob(tx, id).error = failure;
  setJobStatus(tx, id, 'aborting');
  finishGraph(tx, id, false);
  emitBlockJobEvent(tx, 'BLOCK_JOB_COMPLETED', job(tx, id), { error: failure });
  conclude(tx, id);
  abortPeers(tx, id, group);
}

/** job_completed_txn_abort(): the other jobs of its JobTxn are cancelled with it. */
function abortPeers(tx: Tx, id: string, group: readonly Job[]): void {
  for (const other of group) {
    const peer = other.id === id ? undefined : getJob(tx.g as Graph, other.id);
    if (peer && peer.status !== 'concluded' && !peer.cancelled) abortJob(tx, peer.id);
  }
}

/** block-job-complete on a ready mirror: it switches over and ends. */
export function completeMirror(tx: Tx, id: string): void {
  draftJob(tx, id).completing = 'pivot';
  // a job in standby completes once resumed
  if (job(tx, id).status === 'ready') completeJob(tx, id);
}
