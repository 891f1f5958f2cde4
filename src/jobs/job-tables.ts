/** QEMU 7.2's job tables (job.c: JobSTT and JobVerbTable), with the names of qapi/job.json. */
import type { JobStatus } from '../graph/types.js';

export type JobVerb = 'cancel' | 'pause' | 'resume' | 'set-speed' | 'complete' | 'finalize' | 'dismiss' | 'change';

export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  undefined: ['created', 'null'],
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

export const JOB_VERB_ALLOWED: Readonly<Record<JobVerb, readonly JobStatus[]>> = {
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending'],
  pause: ['created', 'running', 'paused', 'ready', 'standby'],
  resume: ['created', 'running', 'paused', 'ready', 'standby'],
  'set-speed': ['created', 'running', 'paused', 'ready', 'standby'],
  complete: ['ready'],
  finalize: ['pending'],
  dismiss: ['concluded'],
  change: ['running', 'paused', 'ready', 'standby'],
};

/** job_apply_verb(): QEMU's refusal, or null when the verb is allowed. */
export function jobVerbError(id: string, status: JobStatus, verb: JobVerb): string | null {
  return JOB_VERB_ALLOWED[verb].includes(status) ? null : `Job '${id}' in state '${status}' cannot accept command verb '${verb}'`;
}
