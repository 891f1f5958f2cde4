/**
 * Runs a scenario on permgraph, in process, on the virtual files its setup describes, and writes
 * down the same trace as the daemon's recording: every reply, the events, and after each step the
 * same queries plus x-permgraph-query-open-files in place of /proc. Jobs run on the simulated
 * clock, so `wait-job` jumps it to the wanted status.
 */
import type { QmpReply } from '../qapi/reply.js';
import type { Model } from '../graph/types.js';
import { createPermgraph, type Permgraph } from '../runtime/permgraph.js';
import { waitForJob } from '../scenario/run.js';
import { isStorageStep, type Scenario, type Step } from '../scenario/schema.js';
import { changeVirtualStorage, storageStepArgument, storageStepKind } from '../scenario/storage-steps.js';
import { substitute, virtualStorageFor } from '../scenario/virtual-setup.js';
import type { VirtualStorage } from '../storage/virtual-storage.js';
import { observation, OBSERVATION_QUERIES, openFilesFromReply, type Reply } from './observe.js';
import type { Json, JsonObject, Observation, QmpEvent, Trace, TraceStep } from './trace.js';

export interface SimulateOptions {
  readonly model: Model;
  /** What `$W` stands for (nothing is made there; default /tmp/permgraph-sim/NAME). */
  readonly workdir?: string;
  /** For error messages about the scenario: its file. */
  readonly file?: string;
}

const asReply = (reply: QmpReply): Reply => reply as unknown as Reply;

function observe(permgraph: Permgraph): Observation {
  const replies = OBSERVATION_QUERIES.map(([command, args]) => asReply(permgraph.execute({ execute: command, ...(args ? { arguments: args } : {}) })));
  return observation(replies, openFilesFromReply(asReply(permgraph.execute({ execute: 'x-permgraph-query-open-files' }))));
}

const contains = (want: Json | undefined, have: Json | undefined): boolean => {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    return !!have && typeof have === 'object' && !Array.isArray(have) && Object.entries(want).every(([k, v]) => k in have && contains(v, have[k]));
  }
  return JSON.stringify(want) === JSON.stringify(have);
};

/** Runs one step; false when the run must stop there (as the daemon's run stops at a timeout). */
function runStep(permgraph: Permgraph, storage: VirtualStorage, step: Step, rec: Record<string, unknown>, pending: QmpEvent[], where: string): boolean {
  if ('execute' in step) {
    rec['execute'] = step.execute;
    if (step.arguments) rec['arguments'] = step.arguments;
    const reply = permgraph.execute({ execute: step.execute, ...(step.arguments ? { arguments: step.arguments } : {}) });
    if ('error' in reply) rec['error'] = { class: reply.error.class, desc: reply.error.desc };
    else rec['return'] = reply.return as Json;
    return true;
  }
  if ('wait-event' in step) {
    rec['wait-event'] = step['wait-event'];
    const at = pending.findIndex((e) => e.event === step['wait-event'] && contains((step.data ?? {}) as JsonObject, e.data ?? {}));
    if (at < 0) {
      rec['timeout'] = `no ${step['wait-event']} event within ${step.timeout ?? 10}s`;
      return false;
    }
    rec['matched'] = pending.splice(at, 1)[0]!;
    return true;
  }
  if ('wait-job' in step) {
    rec['wait-job'] = step['wait-job'];
    const status = waitForJob(permgraph, step['wait-job'], step.status);
    if (!step.status.includes(status)) {
      rec['timeout'] = `job ${step['wait-job']} still ${status} after ${step.timeout ?? 10}s`;
      return false;
    }
    rec['status'] = status;
    return true;
  }
  if (isStorageStep(step)) {
    rec[storageStepKind(step)] = storageStepArgument(step) as Json;
    changeVirtualStorage(storage, step, where);
    return true;
  }
  const seconds = 'sleep' in step ? step.sleep : step.advance;
  rec['sleep' in step ? 'sleep' : 'advance'] = seconds;
  permgraph.advance(seconds);
  return true;
}

const CONNECTION_CLOSED = 'QMP connection closed by the daemon';

/**
 * The step the QEMU the model follows dies on (a known failure: src/commands/known-failures.ts),
 * as a recording shows it: a command gets no reply; a wait or other step dies at the observation
 * after it.
 */
function diedAt(rec: Record<string, unknown>): Record<string, unknown> {
  const { return: _reply, error: _error, ...rest } = rec;
  return { ...('execute' in rec ? rest : rec), failed: CONNECTION_CLOSED };
}

/** permgraph's trace of a scenario, in the daemon's recording's shape. */
export function simulate(scenario: Scenario, name: string, options: SimulateOptions): Trace {
  const workdir = options.workdir ?? `/tmp/permgraph-sim/${name}`;
  const storage = virtualStorageFor(scenario, workdir, options.file ?? name);
  // the daemon's own QMP monitor, as src/diff/daemon.ts starts it
  const monitors = [{ id: 'qmp0', path: `${workdir}/qmp.sock` }];
  const permgraph = createPermgraph({ model: options.model, storage, nodeActors: false, monitors });
  const pending: QmpEvent[] = [];
  let stepEvents: QmpEvent[] = [];
  let death: string | undefined;
  let deathAtExit: string | undefined;
  const subscription = permgraph.events$.subscribe((e) => {
    if (e.type === 'qemu.failure' && e.atExit) deathAtExit ??= e.signal;
    else if (e.type === 'qemu.failure') death ??= e.signal;
    if (e.type !== 'qmp.event') return;
    const event: QmpEvent = { event: e.event, data: e.data as JsonObject };
    pending.push(event);
    stepEvents.push(event);
  });
  const steps: TraceStep[] = [];
  let aborted: string | undefined;
  try {
    const initial = observe(permgraph);
    for (const [i, step] of substitute(scenario.steps, workdir).entries()) {
      stepEvents = [];
      const rec: Record<string, unknown> = { i, ...(step.note ? { note: step.note } : {}) };
      const going = runStep(permgraph, storage, step, rec, pending, `${options.file ?? name}: steps[${i}]`);
      if (death) {
        steps.push(diedAt(rec) as unknown as TraceStep);
        aborted = `step ${i}: ${CONNECTION_CLOSED}`;
        break;
      }
      if (going && step.observe !== false) rec['obs'] = observe(permgraph);
      rec['events'] = stepEvents;
      steps.push(rec as unknown as TraceStep);
      if (!going) {
        aborted = `QMP timeout at step ${i}`;
        break;
      }
    }
    return {
      scenario: name,
      description: scenario.description ?? '',
      workdir,
      as_user: scenario.as_user ?? null,
      qemu: `permgraph --model ${options.model}`,
      daemon: null,
      setup: [],
      initial,
      steps,
      ...(aborted ? { aborted } : {}),
      ...(death || deathAtExit ? { daemon_killed_by: death ?? deathAtExit } : {}),
    };
  } finally {
    subscription.unsubscribe();
    permgraph.dispose();
  }
}
