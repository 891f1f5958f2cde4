/**
 * The events that came between two commands, as steps that `permgraph run` replays: for every job
 * among them a `wait-job` for the last status it reached (`null` is `absent`), which moves the
 * virtual clock on until the job is there, then a `wait-event` for each event, which checks that
 * the simulator sent it too. An event's data is matched field by field, except a block job's
 * `len` and `offset`: QEMU counts the bytes the images hold, which no transcript shows, and the
 * simulator's jobs move by the images' virtual size. Events the simulator never sends (a VM's
 * STOP, RESUME, …) and the events of a job started before the transcript begins are left out,
 * with a note.
 */
import type { EventMessage } from './transcript.js';

type WaitStep = { 'wait-job': string; status: string[]; note?: string } | { 'wait-event': string; data?: Record<string, unknown>; note?: string };

/** The events the simulator sends (src/commands, src/jobs). */
export const SIMULATED_EVENTS: ReadonlySet<string> = new Set([
  'JOB_STATUS_CHANGE',
  'BLOCK_JOB_READY',
  'BLOCK_JOB_PENDING',
  'BLOCK_JOB_COMPLETED',
  'BLOCK_JOB_CANCELLED',
  'BLOCK_EXPORT_DELETED',
  'DEVICE_DELETED',
]);

const PROGRESS = new Set(['len', 'offset']);

/** The jobs the transcript saw created, and what was left out, for the notes. */
export class JobTracker {
  private readonly created = new Set<string>();
  private readonly unknownJobs = new Map<string, number>();
  private readonly foreign = new Map<string, { count: number; line: number }>();

  /** The job an event is about, if it is one. */
  static jobOf(event: EventMessage): string | undefined {
    if (event.event === 'JOB_STATUS_CHANGE') return String(event.data['id']);
    return event.event.startsWith('BLOCK_JOB_') ? String(event.data['device']) : undefined;
  }

  /** Whether the event is kept; a job's `created` makes its later events kept. */
  keep(event: EventMessage): boolean {
    if (!SIMULATED_EVENTS.has(event.event)) {
      const seen = this.foreign.get(event.event);
      this.foreign.set(event.event, { count: (seen?.count ?? 0) + 1, line: seen?.line ?? event.line });
      return false;
    }
    const job = JobTracker.jobOf(event);
    if (job === undefined) return true;
    if (event.event === 'JOB_STATUS_CHANGE' && event.data['status'] === 'created') this.created.add(job);
    if (this.created.has(job)) return true;
    if (!this.unknownJobs.has(job)) this.unknownJobs.set(job, event.line);
    return false;
  }

  notes(): string[] {
    const out: string[] = [];
    for (const [job, line] of this.unknownJobs) {
      out.push(`line ${line}: job '${job}' was started before the transcript begins: its events are left out`);
    }
    if (this.foreign.size) {
      const list = [...this.foreign].map(([name, { count, line }]) => `${name}${count > 1 ? ` ×${count}` : ''} (line ${line})`);
      out.push(`events the simulator does not send, left out: ${list.join(', ')}`);
    }
    return out;
  }
}

function dataOf(event: EventMessage): Record<string, unknown> | undefined {
  const blockJob = event.event.startsWith('BLOCK_JOB_');
  const data = Object.fromEntries(Object.entries(event.data).filter(([key]) => !(blockJob && PROGRESS.has(key))));
  return Object.keys(data).length ? data : undefined;
}

/** The wait steps for one run of events (those between two commands). */
export function eventSteps(run: readonly EventMessage[], jobs: JobTracker): WaitStep[] {
  const kept = run.filter((event) => jobs.keep(event));
  if (!kept.length) return [];
  const last = new Map<string, string>();
  for (const event of kept) {
    if (event.event !== 'JOB_STATUS_CHANGE') continue;
    const job = String(event.data['id']);
    last.delete(job); // in the order the jobs last moved
    last.set(job, String(event.data['status']));
  }
  const steps: WaitStep[] = [...last].map(([job, status]) => ({ 'wait-job': job, status: [status === 'null' ? 'absent' : status] }));
  for (const event of kept) {
    const data = dataOf(event);
    steps.push({ 'wait-event': event.event, ...(data ? { data } : {}) });
  }
  const lines = kept.map((event) => event.line);
  const [first, end] = [Math.min(...lines), Math.max(...lines)];
  steps[0]!.note = first === end ? `event at line ${first}` : `events at lines ${first}-${end}`;
  return steps;
}
