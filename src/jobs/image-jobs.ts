/**
 * Jobs that are no block jobs: blockdev-create (block/create.c, job type `create`) and
 * x-blockdev-amend (block/amend.c, `amend`). job_create() with JOB_DEFAULT | JOB_MANUAL_DISMISS:
 * finalized by themselves, dismissed by job-dismiss. They hold no edge and send no BLOCK_JOB_*
 * event: JOB_STATUS_CHANGE only, and query-jobs shows them (progress 1 of 1 once run).
 */
import { castDraft } from 'immer';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { isWellFormedId } from '../core/open.js';
import type { Tx } from '../core/tx-state.js';
import { getJob } from '../graph/graph.js';
import { closeNode } from '../core/close.js';
import { refresh } from '../core/refresh.js';
import type { Graph, Job, NodeName } from '../graph/types.js';
import { afterReply, draftJob, setJobStatus } from './job-graph.js';

/** job_create() and job_start(): the job exists and runs (until its driver's work first yields). */
export function startImageJob(tx: Tx, id: string, type: 'create' | 'amend', holds: NodeName | null): void {
  if (!isWellFormedId(id)) fail(msg.invalidJobId(id));
  if (getJob(tx.g as Graph, id)) fail(msg.jobIdInUse(id));
  const job: Job = {
    id,
    type,
    status: 'undefined',
    seq: tx.nextSeq(),
    autoFinalize: true,
    autoDismiss: false,
    speed: 0,
    len: 0,
    offset: 0,
    userPaused: false,
    cancelled: false,
    completing: null,
    plan: { kind: type, holds },
    device: holds ?? '',
    filter: null,
    edges: [],
    backends: [],
  };
  tx.g.jobs[id] = castDraft(job);
  setJobStatus(tx, id, 'created');
  setJobStatus(tx, id, 'running');
}

/**
 * The job's run has returned (blockdev_create_run(), blockdev_amend_run(): progress 1 of 1
 * either way); job_exit(), a bottom half, ends it after the reply: waiting, pending, concluded
 * when it succeeded, aborting and concluded with its error when it did not.
 */
export function endImageJob(tx: Tx, id: string, error: string | null): void {
  const draft = draftJob(tx, id);
  draft.len = 1;
  draft.offset = 1;
  if (error !== null) draft.error = error;
  afterReply(tx, () => {
    if (error === null) {
      setJobStatus(tx, id, 'waiting');
      setJobStatus(tx, id, 'pending');
    } else {
      setJobStatus(tx, id, 'aborting');
    }
    setJobStatus(tx, id, 'concluded');
  });
}

/**
 * blockdev_amend_free(): job_do_dismiss() frees the job, whose bdrv_unref() closes the node if
 * nothing else holds it. `job` is the job as it was before it went.
 */
export function releaseHeldNode(tx: Tx, job: Job): void {
  if (job.plan.kind !== 'create' && job.plan.kind !== 'amend') return;
  const node = job.plan.holds === null ? undefined : tx.peekNode(job.plan.holds);
  if (node && !node.monitorOwned && node.parents.length === 0) {
    closeNode(tx, node.name);
    refresh(tx);
  }
}

/** A block job (blockjob.c: block_job_get()): not a create or amend job. */
export const isBlockJob = (job: Job): boolean => job.type !== 'create' && job.type !== 'amend';
