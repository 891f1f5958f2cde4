/**
 * A block job's life as QEMU 7.2 runs it (job.c): the statuses of QAPI JobStatus, moved by what the
 * job code does (job_start, job_pause, job_enter ready, job_completed, job_finalize, job_dismiss…).
 * Every transition is one that QEMU's JobSTT table allows. The tables are here too, verbatim: the
 * simulator checks every status change against JOB_TRANSITIONS and every verb against
 * JOB_VERB_ALLOWED.
 */
import { assign, setup } from 'xstate';
import type { JobStatus } from '../src/graph/types.js';

/** QAPI JobVerb as QEMU 7.2 has it ('change' came later, in 8.2). */
export type JobVerb = 'cancel' | 'pause' | 'resume' | 'set-speed' | 'complete' | 'finalize' | 'dismiss';

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
  complete: ['ready', 'standby'],
  finalize: ['pending'],
  dismiss: ['concluded'],
};

/** job_apply_verb(): QEMU's refusal, or null when the verb is allowed. */
export function jobVerbError(id: string, status: JobStatus, verb: JobVerb): string | null {
  return JOB_VERB_ALLOWED[verb].includes(status) ? null : `Job '${id}' in state '${status}' cannot accept command verb '${verb}'`;
}

export interface JobMachineContext {
  readonly id: string;
  readonly type: string;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** A job that becomes ready and waits for complete (mirror, active commit). */
  readonly waitsForComplete: boolean;
  /** Cancelled (or failed): it ends through aborting. */
  readonly aborted: boolean;
}

export type JobMachineInput = Omit<JobMachineContext, 'aborted'>;

export type JobEvent =
  | { readonly type: 'job.start' }
  | { readonly type: 'job.pause' }
  | { readonly type: 'job.resume' }
  | { readonly type: 'job.work-done' }
  | { readonly type: 'job.complete' }
  | { readonly type: 'job.cancel' }
  | { readonly type: 'job.finalize' }
  | { readonly type: 'job.dismiss' };

export const JOB_EVENT_TYPES: readonly JobEvent['type'][] = [
  'job.start', 'job.pause', 'job.resume', 'job.work-done', 'job.complete', 'job.cancel', 'job.finalize', 'job.dismiss',
];

export const jobMachine = setup({
  types: {} as { context: JobMachineContext; input: JobMachineInput; events: JobEvent },
  guards: {
    autoFinalize: ({ context }) => context.autoFinalize,
    autoDismiss: ({ context }) => context.autoDismiss,
    waitsForComplete: ({ context }) => context.waitsForComplete,
    aborted: ({ context }) => context.aborted,
  },
  actions: {
    markAborted: assign({ aborted: true }),
  },
}).createMachine({
  id: 'job',
  initial: 'undefined',
  context: ({ input }) => ({ ...input, aborted: false }),
  states: {
    undefined: {
      description: 'job_create() has not run yet',
      always: 'created',
    },
    created: {
      description: 'created, its edges and filters in place (job_create)',
      on: {
        'job.start': 'running',
        'job.cancel': { target: 'aborting', actions: 'markAborted' },
      },
    },
    running: {
      description: 'copying at its speed',
      always: { guard: 'aborted', target: 'aborting' },
      on: {
        'job.pause': 'paused',
        'job.work-done': [{ guard: 'waitsForComplete', target: 'ready' }, { target: 'waiting' }],
        'job.cancel': { target: 'aborting', actions: 'markAborted' },
      },
    },
    paused: {
      description: 'paused by the user (job-pause); a cancel resumes it first',
      on: { 'job.resume': 'running', 'job.cancel': { target: 'running', actions: 'markAborted' } },
    },
    ready: {
      description: 'in sync, waiting for block-job-complete (BLOCK_JOB_READY)',
      always: { guard: 'aborted', target: 'aborting' },
      on: {
        'job.pause': 'standby',
        'job.complete': 'waiting',
        'job.cancel': { target: 'aborting', actions: 'markAborted' },
      },
    },
    standby: {
      description: 'ready, but paused',
      on: { 'job.resume': 'ready', 'job.cancel': { target: 'ready', actions: 'markAborted' } },
    },
    waiting: {
      description: 'done; waiting for the other jobs of its transaction',
      always: 'pending',
      on: { 'job.cancel': { target: 'aborting', actions: 'markAborted' } },
    },
    pending: {
      description: 'ready to change the graph: job-finalize, or at once with auto-finalize (BLOCK_JOB_PENDING)',
      always: { guard: 'autoFinalize', target: 'concluded' },
      on: {
        'job.finalize': 'concluded',
        'job.cancel': { target: 'aborting', actions: 'markAborted' },
      },
    },
    aborting: {
      description: 'cancelled or failed: the graph is put back (BLOCK_JOB_CANCELLED)',
      always: 'concluded',
    },
    concluded: {
      description: 'finished (BLOCK_JOB_COMPLETED or CANCELLED); job-dismiss, or at once with auto-dismiss',
      always: { guard: 'autoDismiss', target: 'null' },
      on: { 'job.dismiss': 'null' },
    },
    null: {
      description: 'gone',
      type: 'final',
    },
  },
});

export type JobMachine = typeof jobMachine;
