/**
 * Plays a scenario on a fresh permgraph and records, for every step, the command, its reply, the
 * QMP events it caused, what changed in the graph, and whether its expectation held.
 */
import type { QmpReply } from '../qapi/reply.js';
import type { Graph, Model } from '../graph/types.js';
import { checkStep, type Violation } from '../invariants/index.js';
import type { Storage } from '../storage/storage.js';
import { createPermgraph, type Permgraph, type PermgraphOptions } from '../runtime/permgraph.js';
import { diffGraphs, type Change } from './diff.js';
import { isStorageStep, type Expectation, type Scenario, type Step } from './schema.js';
import { changeVirtualStorage, storageStepKind } from './storage-steps.js';
import { substitute } from './virtual-setup.js';

export interface QmpEventRecord {
  readonly event: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface StepRecord {
  readonly index: number;
  readonly step: Step;
  readonly reply?: QmpReply;
  readonly events: readonly QmpEventRecord[];
  /** Where the QEMU the model follows would have died on this step (`qemu.failure` events). */
  readonly warnings?: readonly string[];
  readonly changes: readonly Change[];
  /** The snapshot after the step. */
  readonly graph: Graph;
  /** Set when the step carried an expectation or waited for something. */
  readonly check?: { readonly ok: boolean; readonly message: string };
  /** Invariants broken after the step (when they are checked). */
  readonly violations?: readonly Violation[];
}

export interface RunResult {
  readonly model: Model;
  readonly steps: readonly StepRecord[];
  readonly ok: boolean;
  readonly invariantsChecked: boolean;
  readonly permgraph: Permgraph;
}

function checkExpectation(expect: Expectation, reply: QmpReply): { ok: boolean; message: string } {
  const verdict = judge(expect, reply);
  return verdict.ok ? { ok: true, message: 'as expected' } : verdict;
}

function judge(expect: Expectation, reply: QmpReply): { ok: boolean; message: string } {
  const got = 'error' in reply ? `error ${reply.error.class}: ${reply.error.desc}` : `return ${JSON.stringify(reply.return)}`;
  if ('ok' in expect) return { ok: 'return' in reply, message: `expected success, got ${got}` };
  if ('return' in expect) {
    const ok = 'return' in reply && JSON.stringify(reply.return) === JSON.stringify(expect.return);
    return { ok, message: `expected return ${JSON.stringify(expect.return)}, got ${got}` };
  }
  if ('desc_contains' in expect) {
    const ok = 'error' in reply && reply.error.desc.includes(expect.desc_contains);
    return { ok, message: `expected an error containing '${expect.desc_contains}', got ${got}` };
  }
  const ok = 'error' in reply && reply.error.desc === expect.desc && (!expect.class || reply.error.class === expect.class);
  return { ok, message: `expected error ${expect.class ?? 'GenericError'}: ${expect.desc}, got ${got}` };
}

const matches = (data: Readonly<Record<string, unknown>>, want: Record<string, unknown> | undefined): boolean =>
  !want || Object.entries(want).every(([k, v]) => JSON.stringify(data[k]) === JSON.stringify(v));

const MAX_WAKEUPS = 1000;

const stepName = (step: Step): string =>
  'execute' in step ? step.execute : 'wait-event' in step ? 'wait-event' : 'wait-job' in step ? 'wait-job' : isStorageStep(step) ? storageStepKind(step) : 'advance';

/** Moves the virtual clock on, job deadline by job deadline, until the job has a wanted status. */
export function waitForJob(permgraph: Permgraph, id: string, wanted: readonly string[]): string {
  const statusOf = (): string => (Object.hasOwn(permgraph.graph.jobs, id) ? permgraph.graph.jobs[id]?.status : undefined) ?? 'absent';
  for (let i = 0; i < MAX_WAKEUPS && !wanted.includes(statusOf()); i++) {
    const deadline = permgraph.nextJobDeadline();
    if (deadline === Infinity) break;
    permgraph.advance(deadline);
  }
  return statusOf();
}

export interface RunOptions {
  readonly model: Model;
  readonly storage: Storage;
  /** What `$W` stands for in the scenario. */
  readonly workdir: string;
  /** Check the invariant catalogue after every step (also when the scenario asks for it). */
  readonly checkInvariants?: boolean;
  /** The scenario's file, for messages about it. */
  readonly file?: string;
  /** Variants of the runtime's parts (a different node machine or driver table). */
  readonly runtime?: Pick<PermgraphOptions, 'nodeMachine' | 'driverPolicies'>;
}

export function runScenario(scenario: Scenario, options: RunOptions): RunResult {
  const permgraph = createPermgraph({ ...options.runtime, model: options.model, storage: options.storage });
  const checking = options.checkInvariants === true || scenario['check-invariants'] === true;
  const pending: QmpEventRecord[] = [];
  let stepEvents: QmpEventRecord[] = [];
  let warnings: string[] = [];
  permgraph.events$.subscribe((e) => {
    if (e.type === 'qemu.failure') warnings.push(e.text);
    if (e.type !== 'qmp.event') return;
    pending.push({ event: e.event, data: e.data });
    stepEvents.push({ event: e.event, data: e.data });
  });
  const steps: StepRecord[] = [];
  substitute(scenario.steps, options.workdir).forEach((step, index) => {
    stepEvents = [];
    warnings = [];
    const before = permgraph.graph;
    let reply: QmpReply | undefined;
    let check: StepRecord['check'];
    if ('execute' in step) {
      reply = permgraph.execute({ execute: step.execute, ...(step.arguments ? { arguments: step.arguments } : {}) });
      if (step.expect) check = checkExpectation(step.expect, reply);
    } else if ('wait-event' in step) {
      const at = pending.findIndex((e) => e.event === step['wait-event'] && matches(e.data, step.data));
      check = at >= 0
        ? { ok: true, message: `${step['wait-event']} arrived` }
        : { ok: false, message: `${step['wait-event']} never arrived` };
      if (at >= 0) pending.splice(at, 1);
    } else if ('wait-job' in step) {
      const status = waitForJob(permgraph, step['wait-job'], step.status);
      const ok = step.status.includes(status);
      check = { ok, message: `job ${step['wait-job']} is ${status}${ok ? '' : `, not ${step.status.join(' or ')}`}` };
    } else if (isStorageStep(step)) {
      changeVirtualStorage(options.storage, step, `${options.file ? `${options.file}: ` : ''}steps[${index}]`);
    } else {
      permgraph.advance('advance' in step ? step.advance : step.sleep);
    }
    const violations = checking
      ? checkStep(before, permgraph.graph, { command: stepName(step), ...(reply ? { reply } : {}) }, { storage: options.storage })
      : [];
    steps.push({
      index,
      step,
      ...(reply ? { reply } : {}),
      events: stepEvents,
      ...(warnings.length ? { warnings } : {}),
      changes: diffGraphs(before, permgraph.graph),
      graph: permgraph.graph,
      ...(check ? { check } : {}),
      ...(violations.length ? { violations } : {}),
    });
  });
  const ok = steps.every((s) => s.check?.ok !== false && !s.violations?.length);
  return { model: options.model, steps, ok, invariantsChecked: checking, permgraph };
}
