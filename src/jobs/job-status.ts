/**
 * QEMU 7.2's own tables for a job's status (job.c), verbatim: JobSTT, the status changes QEMU
 * allows, and JobVerbTable, the statuses in which each verb is accepted, with job_apply_verb()'s
 * refusal. The job chart (machines/job.chart.ts) says which of JobSTT's changes the simulator
 * makes; the tests hold the chart to this table.
 */
import type { JobStatus } from '../graph/types.js';
import { msg } from '../messages/messages.js';

/** QAPI JobVerb ('change' came in 8.2: block-job-change, which only QEMU 10.0's model has). */
export type JobVerb = 'cancel' | 'pause' | 'resume' | 'set-speed' | 'change' | 'complete' | 'finalize' | 'dismiss';

/** job.c: JobSTT, row by row (from -> allowed to). */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  undefined: ['created'],
  created: ['running', 'aborting', 'null'],
  running: ['paused', 'ready', 'waiting', 'aborting'],
  paused: ['running'],
  ready: ['standby', 'waiting', 'aborting'],
  standby: ['ready'],
  waiting: ['pending', 'aborting'],
  pending: ['aborting', 'concluded'],
  aborting: ['aborting', 'concluded'],
  concluded: ['null'],
  null: [],
};

/** job.c: JobVerbTable (verb -> statuses that accept it). */
export const JOB_VERB_ALLOWED: Readonly<Record<JobVerb, readonly JobStatus[]>> = {
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending'],
  pause: ['created', 'running', 'paused', 'ready', 'standby'],
  resume: ['created', 'running', 'paused', 'ready', 'standby'],
  'set-speed': ['created', 'running', 'paused', 'ready', 'standby'],
  change: ['created', 'running', 'paused', 'ready', 'standby'],
  complete: ['ready', 'standby'],
  finalize: ['pending'],
  dismiss: ['concluded'],
};

/** job_apply_verb(): QEMU's refusal, or null when the verb is allowed. */
export function jobVerbError(id: string, status: JobStatus, verb: JobVerb): string | null {
  return JOB_VERB_ALLOWED[verb].includes(status) ? null : msg.jobCannotAcceptVerb(id, status, verb);
}
