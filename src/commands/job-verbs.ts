/**
 * The commands that act on a running job (job-qmp.c: qmp_job_*(); blockdev.c:
 * qmp_block_job_*()): find the job, check the verb against QEMU's JobVerbTable, check the
 * command's own conditions, then act in one transaction.
 */
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import type { Tx } from '../core/tx-state.js';
import { getJob } from '../graph/graph.js';
import type { Graph, Job } from '../graph/types.js';
import { jobVerbError, type JobVerb } from '../jobs/job-status.js';
import { abortJob, cancelJob, completeJob, completeMirror, dismissJob, finalizeJob } from '../jobs/lifecycle.js';
import { firstRead } from '../jobs/first-read.js';
import { draftJob, setJobStatus } from '../jobs/job-graph.js';
import { isBlockJob } from '../jobs/image-jobs.js';
import { cancelArgs, changeArgs, deviceArg, idArg, setSpeedArgs } from '../qapi/job-schema.js';
import type { Command, CommandArgs } from './command.js';

/** find_block_job(): block-job-* name jobs by `device`, and say DeviceNotActive when absent. */
function blockJob(graph: Graph, id: string): Job {
  const job = getJob(graph, id);
  if (!job || !isBlockJob(job)) throw new QmpError('DeviceNotActive', msg.blockJobNotFound(id));
  return job;
}

/** find_job(): job-* commands. */
function anyJob(graph: Graph, id: string): Job {
  const job = getJob(graph, id);
  if (!job) fail(msg.jobNotFound());
  return job;
}

function verb(job: Job, name: JobVerb): void {
  const error = jobVerbError(job.id, job.status, name);
  if (error) fail(error);
}

type VerbAction = (tx: Tx, job: Job, args: CommandArgs) => void;

type Check = (job: Job, args: CommandArgs) => void;

/**
 * A verb command: find the job, check the verb table and the command's own conditions (`before`
 * the verb where QEMU checks them first, else `after`), act in one transaction.
 */
function verbCommand(args: Command['args'], find: (graph: Graph, id: string) => Job, key: 'device' | 'id', name: JobVerb, act: VerbAction, checks: { before?: Check; after?: Check } = {}): Command {
  return {
    ...(args ? { args } : {}),
    run(graph, a, env) {
      const job = find(graph, a[key] as string);
      checks.before?.(job, a);
      verb(job, name);
      checks.after?.(job, a);
      return { ...transact(graph, env, (tx) => act(tx, job, a)), reply: {} };
    },
  };
}

const pause: VerbAction = (tx, job) => {
  draftJob(tx, job.id).userPaused = true;
  if (job.status === 'running') setJobStatus(tx, job.id, 'paused');
  else if (job.status === 'ready') setJobStatus(tx, job.id, 'standby');
};
const resume: VerbAction = (tx, job) => {
  const draft = draftJob(tx, job.id);
  draft.userPaused = false;
  // block_job_iostatus_reset(); a job an I/O error stopped reads its source again
  delete draft.ioFailed;
  if (job.status === 'paused') setJobStatus(tx, job.id, 'running');
  else if (job.status === 'standby') {
    setJobStatus(tx, job.id, 'ready');
    if (job.completing === 'pivot') completeJob(tx, job.id);
  }
  if (job.ioFailed) firstRead(tx, job.id);
};
const pauseCheck = (job: Job): void => {
  if (job.userPaused) fail(msg.jobAlreadyPaused());
};
const resumeCheck = (job: Job): void => {
  if (!job.userPaused) fail(msg.jobNotPaused());
};
const complete: VerbAction = (tx, job) => {
  if (job.plan.kind !== 'mirror') fail(msg.jobCannotComplete(job.id));
  completeMirror(tx, job.id);
};
const cancel: VerbAction = (tx, job, args) => cancelJob(tx, job.id, args['force'] === true || job.status !== 'ready');
const finalize: VerbAction = (tx, job) => (job.cancelled ? abortJob(tx, job.id) : finalizeJob(tx, job.id));
const dismiss: VerbAction = (tx, job) => dismissJob(tx, job.id);

const setSpeedCheck = (_job: Job, args: CommandArgs): void => {
  if ((args['speed'] as number) < 0) fail(msg.negativeSpeed());
};
const setSpeed: VerbAction = (tx, job, args) => {
  draftJob(tx, job.id).speed = args['speed'] as number;
};
/** block_job_change_locked() and mirror_change(): only a mirror changes, and only to write-blocking. */
const change: VerbAction = (tx, job, args) => {
  if (job.type !== 'mirror') fail(msg.jobTypeCannotChange());
  // the variant is read by the union's own `type`, not the job's: another type reads as background
  const wanted = args['type'] === 'mirror' ? (args['copy-mode'] as string) : 'background';
  if (wanted === (job.copyMode ?? 'background')) return;
  if (wanted !== 'write-blocking') fail(msg.copyModeChangeNotImplemented(wanted));
  draftJob(tx, job.id).copyMode = 'write-blocking';
};
const blockJobCancelCheck = (job: Job, args: CommandArgs): void => {
  if (job.userPaused && args['force'] !== true) fail(msg.blockJobPaused(job.id));
};

// job_user_resume_locked() and qmp_block_job_cancel() ask whether the job is paused before the
// verb table; job_user_pause_locked() and block_job_set_speed_locked() after it
export const JOB_VERB_COMMANDS: Readonly<Record<string, Command>> = {
  'block-job-set-speed': verbCommand(setSpeedArgs, blockJob, 'device', 'set-speed', setSpeed, { after: setSpeedCheck }),
  'block-job-cancel': verbCommand(cancelArgs, blockJob, 'device', 'cancel', cancel, { before: blockJobCancelCheck }),
  'block-job-complete': verbCommand(deviceArg, blockJob, 'device', 'complete', complete),
  'block-job-pause': verbCommand(deviceArg, blockJob, 'device', 'pause', pause, { after: pauseCheck }),
  'block-job-resume': verbCommand(deviceArg, blockJob, 'device', 'resume', resume, { before: resumeCheck }),
  'block-job-finalize': verbCommand(idArg, blockJob, 'id', 'finalize', finalize),
  'block-job-dismiss': verbCommand(idArg, blockJob, 'id', 'dismiss', dismiss),
  'block-job-change': { ...verbCommand(changeArgs, blockJob, 'id', 'change', change), since: 1000 },
  'job-pause': verbCommand(idArg, anyJob, 'id', 'pause', pause, { after: pauseCheck }),
  'job-resume': verbCommand(idArg, anyJob, 'id', 'resume', resume, { before: resumeCheck }),
  'job-cancel': verbCommand(idArg, anyJob, 'id', 'cancel', (tx, job) => cancelJob(tx, job.id, true)),
  'job-complete': verbCommand(idArg, anyJob, 'id', 'complete', complete),
  'job-finalize': verbCommand(idArg, anyJob, 'id', 'finalize', finalize),
  'job-dismiss': verbCommand(idArg, anyJob, 'id', 'dismiss', dismiss),
};
