/**
 * Runs a scenario on the real qemu-storage-daemon: a fresh scratch directory (mkdtemp under /tmp)
 * owned by the scenario's user, the setup done for real, the daemon started, every step sent over
 * QMP and observed (the queries, then the image files' open modes and lock bytes from /proc).
 * Whatever happens, the daemon is stopped by its pid, the setup undone and the directory removed.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { isStorageStep, type Scenario, type Step } from '../scenario/schema.js';
import { storageStepArgument, storageStepKind } from '../scenario/storage-steps.js';
import { substitute } from '../scenario/virtual-setup.js';
import { startDaemon, type Daemon } from './daemon.js';
import { identity as identityOf, type Identity } from './identity.js';
import { observation, OBSERVATION_QUERIES, type Reply } from './observe.js';
import { observeProcessFds } from './proc-fds.js';
import { QmpConnectionError, QmpTimeout } from './qmp-client.js';
import { realSetup, SetupError, underTmp, type RealSetup } from './real-setup.js';
import type { JsonObject, Observation, QmpEvent, SetupRecord, Trace, TraceStep } from './trace.js';
import { whileRunning } from './interrupt.js';

export interface RecordOptions {
  /** The user to run as; the scenario's `as_user` when not given ('self': the current user). */
  readonly asUser?: string;
  /** Every QMP read's limit, in seconds (default 10). */
  readonly timeout?: number;
  /** Seconds to collect events before each observation (default 0.05, as the oracle). */
  readonly settle?: number;
  readonly binary?: string;
  /** Runs in all while a run fails for the machine's load (default 3). */
  readonly tries?: number;
}

async function observe(daemon: Daemon): Promise<{ obs: Observation; events: QmpEvent[] }> {
  const replies: Reply[] = [];
  const events: QmpEvent[] = [];
  for (const [command, args] of OBSERVATION_QUERIES) {
    const result = await daemon.qmp.execute(command, args);
    replies.push(result.reply);
    events.push(...result.events);
  }
  return { obs: observation(replies, observeProcessFds(daemon.pid)), events };
}

/** A step that could not be done (the file of a `chmod` step is missing): the run stops there. */
class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

/** A SetupError of a step says which. */
function at<T>(where: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw error instanceof SetupError ? new SetupError(`${where}: ${error.message}`) : error;
  }
}

/** A QOM path (qom-list, qom-get, qom-set) names an object of the daemon, not a file: left unchecked. */
function withoutQomPath(step: Step): unknown {
  if (!('execute' in step) || !['qom-list', 'qom-get', 'qom-set'].includes(step.execute)) return step;
  const { path: _qomPath, ...rest } = (step.arguments ?? {}) as Record<string, unknown>;
  return { ...step, arguments: rest };
}

function checkPaths(value: unknown): void {
  if (typeof value === 'string' && value.startsWith('/')) underTmp(value);
  else if (Array.isArray(value)) value.forEach(checkPaths);
  else if (value && typeof value === 'object') Object.values(value).forEach(checkPaths);
}

function expectationHolds(expect: JsonObject, reply: Reply): boolean {
  if (expect['ok']) return 'return' in reply;
  if ('return' in expect) return 'return' in reply && JSON.stringify(reply.return) === JSON.stringify(expect['return']);
  const error = 'error' in reply ? (reply.error as JsonObject) : null;
  if (!error) return false;
  if ('class' in expect && error['class'] !== expect['class']) return false;
  if ('desc' in expect && error['desc'] !== expect['desc']) return false;
  if ('desc_contains' in expect && !String(error['desc']).includes(String(expect['desc_contains']))) return false;
  return true;
}

async function waitJob(daemon: Daemon, id: string, statuses: readonly string[], timeoutMs: number): Promise<{ status: string; events: QmpEvent[] }> {
  const deadline = Date.now() + timeoutMs;
  const events: QmpEvent[] = [];
  for (;;) {
    const { reply, events: seen } = await daemon.qmp.execute('query-jobs');
    events.push(...seen);
    const jobs = 'return' in reply && Array.isArray(reply.return) ? (reply.return as JsonObject[]) : [];
    const status = (jobs.find((j) => j['id'] === id)?.['status'] as string | undefined) ?? 'absent';
    if (statuses.includes(status)) return { status, events };
    if (Date.now() > deadline) throw new QmpTimeout(`job ${id} still ${status} after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function runStep(daemon: Daemon, step: Step, rec: Record<string, unknown>, timeoutMs: number, setup: RealSetup): Promise<QmpEvent[]> {
  if ('execute' in step) {
    rec['execute'] = step.execute;
    if (step.arguments) rec['arguments'] = step.arguments;
    const { reply, events } = await daemon.qmp.execute(step.execute, step.arguments as JsonObject | undefined, step.timeout ? step.timeout * 1000 : timeoutMs);
    if ('error' in reply) rec['error'] = { class: reply.error.class, desc: reply.error.desc };
    else rec['return'] = reply.return;
    if (step.expect) {
      rec['expect'] = step.expect;
      rec['expect_ok'] = expectationHolds(step.expect as JsonObject, reply);
    }
    return events;
  }
  if ('wait-event' in step) {
    rec['wait-event'] = step['wait-event'];
    const { matched, events } = await daemon.qmp.waitEvent(step['wait-event'], step.data as JsonObject | undefined, (step.timeout ?? timeoutMs / 1000) * 1000);
    rec['matched'] = matched;
    return events;
  }
  if ('wait-job' in step) {
    rec['wait-job'] = step['wait-job'];
    const { status, events } = await waitJob(daemon, step['wait-job'], step.status, (step.timeout ?? timeoutMs / 1000) * 1000);
    rec['status'] = status;
    return events;
  }
  if (isStorageStep(step)) {
    rec[storageStepKind(step)] = storageStepArgument(step);
    try {
      setup.change(step);
    } catch (error) {
      throw new StepFailed((error as Error).message.split('\n')[0]!);
    }
    return [];
  }
  const seconds = 'sleep' in step ? step.sleep : step.advance;
  rec['sleep' in step ? 'sleep' : 'advance'] = seconds;
  return daemon.qmp.pollEvents(seconds * 1000);
}

/** Why a trace is no run of the scenario at all (the setup failed, the daemon did not start), or null. */
export const notRun = (trace: Trace): string | null => (trace.daemon === null && trace.aborted ? trace.aborted : null);

type MutableTrace = { -readonly [K in keyof Trace]: Trace[K] };

/** A run's trace as it is being written. */
interface Recording {
  readonly trace: MutableTrace;
  readonly setup: SetupRecord[];
  readonly steps: TraceStep[];
  mismatches: number;
}

interface Limits {
  /** Every QMP read's. */
  readonly timeoutMs: number;
  /** Collecting events before each observation. */
  readonly settleMs: number;
}

function newRecording(scenario: Scenario, name: string, workdir: string, user: string | null): Recording {
  const trace: MutableTrace = {
    scenario: name,
    description: scenario.description ?? '',
    workdir,
    as_user: user,
    qemu: null,
    daemon: null,
    setup: [],
    initial: null,
    steps: [],
  };
  return { trace, setup: [], steps: [], mismatches: 0 };
}

/** The steps' paths checked, the scratch directory handed to the user, and the setup done for real. */
function prepare(scenario: Scenario, steps: readonly Step[], who: Identity, workdir: string, setup: RealSetup, recording: Recording): void {
  steps.forEach((step, i) => at(`steps[${i}]`, () => checkPaths(withoutQomPath(step))));
  chmodSync(workdir, 0o755);
  who.own(workdir);
  for (const [i, step] of substitute(scenario.setup ?? [], workdir).entries()) recording.setup.push(at(`setup[${i}]`, () => setup.run(step)));
}

/** One step sent, then (unless it says not to) the events let settle and the daemon observed. */
async function recordStep(daemon: Daemon, step: Step, rec: Record<string, unknown>, recording: Recording, limits: Limits, setup: RealSetup): Promise<void> {
  const events = await runStep(daemon, step, rec, limits.timeoutMs, setup);
  if (rec['expect_ok'] === false) recording.mismatches++;
  if (step.observe !== false) {
    events.push(...(await daemon.qmp.pollEvents(limits.settleMs)));
    const observed = await observe(daemon);
    rec['obs'] = observed.obs;
    events.push(...observed.events);
  }
  rec['events'] = events;
}

/** Every step in turn, until one times out, loses the connection or cannot be done. */
async function recordSteps(daemon: Daemon, steps: readonly Step[], recording: Recording, limits: Limits, setup: RealSetup): Promise<void> {
  for (const [i, step] of steps.entries()) {
    const rec: Record<string, unknown> = { i, ...(step.note ? { note: step.note } : {}) };
    try {
      await recordStep(daemon, step, rec, recording, limits, setup);
    } catch (error) {
      if (!(error instanceof QmpTimeout || error instanceof QmpConnectionError || error instanceof StepFailed)) throw error;
      rec[error instanceof QmpTimeout ? 'timeout' : 'failed'] = error.message;
      recording.steps.push(rec as unknown as TraceStep);
      recording.trace.aborted = error instanceof QmpTimeout ? `QMP timeout at step ${i}` : `step ${i}: ${error.message}`;
      return;
    }
    const output = daemon.takeOutput();
    if (output) rec['daemon_output'] = output;
    recording.steps.push(rec as unknown as TraceStep);
  }
}

/** Errors that end a run with a trace that says why, rather than reject. */
function abortsTheRun(error: unknown): boolean {
  return error instanceof SetupError || error instanceof QmpTimeout || error instanceof QmpConnectionError || (error as Error).name === 'DaemonError';
}

/** Stops the daemon; how it ended and its last output go into the trace. */
async function stopDaemon(daemon: Daemon, trace: MutableTrace): Promise<void> {
  const { code, signal } = await daemon.stop();
  trace.daemon_exit = code;
  if (signal && signal !== 'SIGTERM') trace.daemon_killed_by = signal;
  const tail = daemon.takeOutput();
  if (tail) trace.daemon_output_tail = tail;
}

/**
 * A run that failed for the machine's load rather than the scenario's doing, and so is worth
 * asking again: a daemon that did not answer within the QMP limit (no recorded scenario makes a
 * daemon go quiet), or qemu-img's LUKS key benchmark that could not time itself on a busy machine.
 */
export const failedForLoad = (trace: Trace): boolean =>
  /timeout|within [\d.]+s|did not appear|Unable to get accurate CPU usage/.test(trace.aborted ?? '');

/** The daemon's trace of a scenario, run again while it fails for the machine's load. Rejects only when the scenario cannot be run at all. */
export async function recordOnDaemon(scenario: Scenario, name: string, options: RecordOptions = {}): Promise<Trace> {
  let trace = await recordOnce(scenario, name, options);
  for (let tries = options.tries ?? 3; tries > 1 && failedForLoad(trace); tries--) trace = await recordOnce(scenario, name, options);
  return trace;
}

async function recordOnce(scenario: Scenario, name: string, options: RecordOptions = {}): Promise<Trace> {
  const started = Date.now();
  const limits: Limits = { timeoutMs: (options.timeout ?? 10) * 1000, settleMs: (options.settle ?? 0.05) * 1000 };
  const who = identityOf(options.asUser ?? scenario.as_user ?? null);
  const workdir = mkdtempSync('/tmp/permgraph-diff-');
  const steps = substitute(scenario.steps, workdir);
  const recording = newRecording(scenario, name, workdir, who.user);
  const { trace } = recording;
  const setup = realSetup(who, workdir, options.binary);
  const release = whileRunning(() => {
    setup.undo();
    rmSync(workdir, { recursive: true, force: true });
  });
  let daemon: Daemon | null = null;
  try {
    prepare(scenario, steps, who, workdir, setup, recording);
    daemon = await startDaemon({ workdir, identity: who, timeoutMs: limits.timeoutMs, ...(options.binary ? { binary: options.binary } : {}) });
    trace.qemu = (daemon.greeting['version'] as JsonObject | undefined) ?? null;
    trace.daemon = daemon.identity();
    trace.initial = (await observe(daemon)).obs;
    await recordSteps(daemon, steps, recording, limits, setup);
  } catch (error) {
    if (!abortsTheRun(error)) throw error;
    trace.aborted = (error as Error).message;
  } finally {
    if (daemon) await stopDaemon(daemon, trace);
    release();
    setup.undo();
    rmSync(workdir, { recursive: true, force: true });
  }
  trace.setup = recording.setup;
  trace.steps = recording.steps;
  trace.elapsed_s = Math.round(Date.now() - started) / 1000;
  trace.expect_mismatches = recording.mismatches;
  return trace;
}
