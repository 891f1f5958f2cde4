/**
 * The job chart: a block job's life as QEMU 7.2 runs it (job.c), as plain data. For each status
 * of QAPI JobStatus, what it means, the events that move it (what the job code does: job_start,
 * job_pause, job_enter ready, job_completed, job_finalize, job_dismiss…, and the user's verbs)
 * and its eventless moves, with guard and action names. machines/job.machine.ts builds the xstate
 * machine from it; JOB_CHART_TRANSITIONS, derived from it, is what the simulator checks each
 * status change against. Every move drawn is one QEMU's JobSTT allows (src/jobs/job-status.ts).
 */

/** QAPI JobStatus: the chart's states, and a job's status in a snapshot. */
export type JobStatus =
  | 'undefined'
  | 'created'
  | 'running'
  | 'paused'
  | 'ready'
  | 'standby'
  | 'waiting'
  | 'pending'
  | 'aborting'
  | 'concluded'
  | 'null';

export const JOB_EVENT_TYPES = [
  'job.start', 'job.pause', 'job.resume', 'job.work-done', 'job.complete', 'job.cancel', 'job.finalize', 'job.dismiss',
] as const;

export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** The job's flags the chart's guards read. */
export type JobGuard = 'autoFinalize' | 'autoDismiss' | 'waitsForComplete' | 'aborted';

/** markAborted: the job was cancelled (or failed) and ends through aborting. */
export type JobAction = 'markAborted';

export interface JobChartTransition {
  readonly target: JobStatus;
  readonly guard?: JobGuard;
  readonly actions?: JobAction;
}

/** A target, one transition, or guarded alternatives tried in order. */
export type JobChartMove = JobStatus | JobChartTransition;
export type JobChartMoves = JobChartMove | readonly JobChartMove[];

export interface JobChartState {
  readonly description: string;
  readonly on?: Readonly<Partial<Record<JobEventType, JobChartMoves>>>;
  readonly always?: JobChartMoves;
  readonly type?: 'final';
}

export interface JobChart {
  readonly id: string;
  readonly initial: JobStatus;
  readonly states: Readonly<Record<JobStatus, JobChartState>>;
}

export const JOB_CHART: JobChart = {
  id: 'job',
  initial: 'undefined',
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
};

const isList = (moves: JobChartMoves): moves is readonly JobChartMove[] => Array.isArray(moves);

/** The moves of one `on` entry or `always`, each alternative on its own. */
export function chartMoves(moves: JobChartMoves | undefined): readonly JobChartTransition[] {
  if (moves === undefined) return [];
  return (isList(moves) ? moves : [moves]).map((move) => (typeof move === 'string' ? { target: move } : move));
}

/** Every status one `on` or `always` transition of the chart leads to, from each status. */
export function chartTransitions(chart: JobChart): Readonly<Record<JobStatus, readonly JobStatus[]>> {
  const table = {} as Record<JobStatus, readonly JobStatus[]>;
  for (const [status, state] of Object.entries(chart.states) as [JobStatus, JobChartState][]) {
    const moves = [...chartMoves(state.always), ...Object.values(state.on ?? {}).flatMap(chartMoves)];
    table[status] = [...new Set(moves.map((move) => move.target))];
  }
  return table;
}

/** The one-step status changes the chart draws: the only ones the simulator makes. */
export const JOB_CHART_TRANSITIONS = chartTransitions(JOB_CHART);
