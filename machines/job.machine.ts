/**
 * The job machine: the job chart (machines/job.chart.ts) as an xstate machine, its guards reading
 * the job's flags and its one action marking a cancel. The chart is the one definition of a job's
 * status changes; this machine is how it is drawn (src/viz) and walked (xstate/graph in the tests).
 */
import { assign, setup } from 'xstate';
import { JOB_CHART, JOB_EVENT_TYPES, type JobEventType } from './job.chart.js';

export { JOB_EVENT_TYPES };

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

export type JobEvent = { readonly [T in JobEventType]: { readonly type: T } }[JobEventType];

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
  ...JOB_CHART,
  context: ({ input }) => ({ ...input, aborted: false }),
});

export type JobMachine = typeof jobMachine;
