/**
 * The job chart and machine against QEMU's tables, the machine against the chart it is built
 * from, and its paths (xstate/graph) replayed against the simulator: the statuses a real job goes
 * through are the machine's.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { chartMoves, JOB_CHART, JOB_CHART_TRANSITIONS, type JobChartMoves, type JobStatus as ChartStatus } from '../machines/job.chart.js';
import { JOB_EVENT_TYPES, jobMachine, type JobEvent as JobMachineEvent, type JobMachineInput } from '../machines/job.machine.js';
import { JOB_TRANSITIONS, JOB_VERB_ALLOWED, jobVerbError } from '../src/jobs/job-status.js';
import { createPermgraph, createVirtualStorage, type GraphEvent } from '../src/index.js';
import type { JobStatus } from '../src/graph/types.js';

const S = ['undefined', 'created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending', 'aborting', 'concluded', 'null'] as const;

/** job.c's JobSTT as QEMU writes it: rows from, columns to (U, C, R, P, Y, S, W, D, X, E, N). */
const JOB_STT: Record<string, number[]> = {
  undefined: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  created: [0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],
  running: [0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0],
  paused: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
  ready: [0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0],
  standby: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
  waiting: [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0],
  pending: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0],
  aborting: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0],
  concluded: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  null: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

/** job.c's JobVerbTable in QEMU 10.0.2: 7.2's rows, and `change` (8.2, block-job-change). */
const JOB_VERBS: Record<string, number[]> = {
  cancel: [0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
  pause: [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  resume: [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  'set-speed': [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  complete: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
  finalize: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
  dismiss: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
  change: [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
};

const row = (allowed: readonly string[]): number[] => S.map((s) => (allowed.includes(s) ? 1 : 0));

describe("QEMU 7.2's job tables", () => {
  it('JobSTT', () => {
    for (const from of S) expect(row(JOB_TRANSITIONS[from]), from).toEqual(JOB_STT[from]);
  });
  it('JobVerbTable', () => {
    expect(Object.keys(JOB_VERB_ALLOWED).sort()).toEqual(Object.keys(JOB_VERBS).sort());
    for (const [verb, allowed] of Object.entries(JOB_VERB_ALLOWED)) expect(row(allowed), verb).toEqual(JOB_VERBS[verb]);
  });
  it("job_apply_verb()'s text", () => {
    expect(jobVerbError('j1', 'running', 'complete')).toBe("Job 'j1' in state 'running' cannot accept command verb 'complete'");
    expect(jobVerbError('j1', 'ready', 'complete')).toBeNull();
  });
});

/** One transition, as the chart and the machine can both be read: `from --event[guard]/actions--> to`. */
const edge = (from: string, event: string | null, to: string, guard: string | null, actions: readonly string[]): string =>
  `${from} --${event ?? 'always'}${guard ? `[${guard}]` : ''}${actions.length ? `/${actions.join(',')}` : ''}--> ${to}`;

function chartEdges(from: string, event: string | null, moves: JobChartMoves | undefined): string[] {
  return chartMoves(moves).map((move) => edge(from, event, move.target, move.guard ?? null, move.actions ? [move.actions] : []));
}

interface MachineTransition {
  readonly target?: readonly { readonly key: string }[] | undefined;
  readonly guard?: unknown;
  readonly actions?: readonly unknown[];
}

function machineEdges(from: string, event: string | null, list: readonly MachineTransition[]): string[] {
  const name = (x: unknown): string => (typeof x === 'string' ? x : String((x as { type?: unknown }).type));
  return list.flatMap((t) =>
    (t.target ?? []).map((target) => edge(from, event, target.key, t.guard === undefined || t.guard === null ? null : name(t.guard), (t.actions ?? []).map(name))),
  );
}

describe('the job chart', () => {
  it("has QAPI JobStatus's statuses as its states", () => {
    expectTypeOf<ChartStatus>().toEqualTypeOf<JobStatus>();
    expect(Object.keys(JOB_CHART.states)).toEqual([...S]);
  });

  it('draws only status changes that JobSTT allows', () => {
    for (const from of S) {
      for (const to of JOB_CHART_TRANSITIONS[from]) expect(JOB_TRANSITIONS[from], `${from} -> ${to}`).toContain(to);
    }
  });

  it('derives its one-step table from every on and always transition', () => {
    expect(JOB_CHART_TRANSITIONS).toEqual({
      undefined: ['created'],
      created: ['running', 'aborting'],
      running: ['aborting', 'paused', 'ready', 'waiting'],
      paused: ['running'],
      ready: ['aborting', 'standby', 'waiting'],
      standby: ['ready'],
      waiting: ['pending', 'aborting'],
      pending: ['concluded', 'aborting'],
      aborting: ['concluded'],
      concluded: ['null'],
      null: [],
    });
  });

  it('is the xstate machine: the same states, descriptions and transitions', () => {
    expect(jobMachine.root.key).toBe(JOB_CHART.id);
    expect(jobMachine.root.initial.target.map((t) => t.key)).toEqual([JOB_CHART.initial]);
    expect(Object.keys(jobMachine.states)).toEqual(Object.keys(JOB_CHART.states));
    for (const [key, node] of Object.entries(jobMachine.root.states)) {
      const state = JOB_CHART.states[key as JobStatus];
      expect(node.description, key).toBe(state.description);
      expect(node.type, key).toBe(state.type ?? 'atomic');
      const drawn = [
        ...[...node.transitions.entries()].flatMap(([event, list]) => machineEdges(key, event, list)),
        ...machineEdges(key, null, node.always ?? []),
      ];
      const charted = [
        ...Object.entries(state.on ?? {}).flatMap(([event, moves]) => chartEdges(key, event, moves)),
        ...chartEdges(key, null, state.always),
      ];
      expect(drawn, key).toEqual(charted);
    }
    expect([...jobMachine.root.transitions.keys()]).toEqual([]);
  });
});

const events = JOB_EVENT_TYPES.map((type) => ({ type }));
const serializeState = (s: { value: unknown; context: unknown }): string => JSON.stringify([s.value, s.context]);
const inputs: Record<string, JobMachineInput> = {
  'commit (auto)': { id: 'j', type: 'commit', autoFinalize: true, autoDismiss: true, waitsForComplete: false },
  'commit (manual)': { id: 'j', type: 'commit', autoFinalize: false, autoDismiss: false, waitsForComplete: false },
  'mirror (auto)': { id: 'j', type: 'mirror', autoFinalize: true, autoDismiss: true, waitsForComplete: true },
};

describe('the job machine', () => {
  it('every transition in its definition is one JobSTT allows', () => {
    const checked: string[] = [];
    for (const [key, node] of Object.entries(jobMachine.root.states)) {
      const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
      for (const transition of transitions) {
        for (const target of transition.target ?? []) {
          const to = target.key as JobStatus;
          if (to !== key) expect(JOB_TRANSITIONS[key as JobStatus], `${key} -> ${to}`).toContain(to);
          checked.push(`${key}->${to}`);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(15);
  });

  it('reaches every status but undefined, by shortest paths', () => {
    const reached = new Set<string>();
    for (const input of Object.values(inputs)) {
      for (const path of getShortestPaths(jobMachine, { input, events, serializeState })) reached.add(String(path.state.value));
    }
    expect([...reached].sort()).toEqual(S.filter((s) => s !== 'undefined' && s !== 'aborting' && s !== 'waiting').slice().sort());
  });

  it('simple paths end where a job can end', () => {
    for (const input of Object.values(inputs)) {
      const ends = new Set(getSimplePaths(jobMachine, { input, events, serializeState }).map((p) => String(p.state.value)));
      expect(ends.has(input.autoDismiss ? 'null' : 'concluded')).toBe(true);
    }
  });
});

/** The statuses the simulator announces for a job, in order. */
function statuses(run: (ex: (cmd: string, args?: Record<string, unknown>) => unknown, advance: (s: number) => void) => void): string[] {
  const pg = createPermgraph({
    model: 'qemu-7.2',
    storage: createVirtualStorage({ '/i/b.qcow2': { format: 'qcow2', size: 1 << 20 }, '/i/t.qcow2': { format: 'qcow2', size: 1 << 20, clusters: [0] } }),
  });
  const seen: string[] = [];
  pg.events$.subscribe((e: GraphEvent) => {
    if (e.type === 'qmp.event' && e.event === 'JOB_STATUS_CHANGE') seen.push(String(e.data['status']));
  });
  const ex = (execute: string, args?: Record<string, unknown>) => {
    const reply = pg.execute({ execute, ...(args ? { arguments: args } : {}) });
    expect(reply, execute).toHaveProperty('return');
    return reply;
  };
  ex('blockdev-add', { driver: 'qcow2', 'node-name': 'b', backing: null, file: { driver: 'file', filename: '/i/b.qcow2' } });
  ex('blockdev-add', { driver: 'qcow2', 'node-name': 't', backing: 'b', file: { driver: 'file', filename: '/i/t.qcow2' } });
  run(ex, (s) => pg.advance(s));
  return seen;
}

/** Where the machine ends after these events. */
function machineEnd(input: JobMachineInput, types: readonly JobMachineEvent['type'][]): string {
  let snapshot = initialTransition(jobMachine, input)[0];
  for (const type of types) snapshot = transition(jobMachine, snapshot, { type })[0];
  return String(snapshot.value);
}

/** A status sequence that JobSTT allows, step by step. */
function expectTableWalk(seen: readonly string[]): void {
  seen.reduce<string>((from, to) => {
    expect(JOB_TRANSITIONS[from as JobStatus], `${from} -> ${to}`).toContain(to);
    return to;
  }, 'undefined');
}

describe('the simulator follows the job machine', () => {
  it('an active commit: created, running, ready, waiting, pending, concluded, null', () => {
    const seen = statuses((ex, advance) => {
      ex('block-commit', { 'job-id': 'j', device: 't', speed: 1024 });
      advance(10_000);
      ex('block-job-complete', { device: 'j' });
    });
    expect(seen).toEqual(['created', 'running', 'ready', 'waiting', 'pending', 'concluded', 'null']);
    expectTableWalk(seen);
    expect(machineEnd(inputs['mirror (auto)']!, ['job.start', 'job.work-done', 'job.complete'])).toBe('null');
  });

  it('a cancelled paused job resumes, then aborts', () => {
    const seen = statuses((ex) => {
      ex('block-commit', { 'job-id': 'j', device: 't', speed: 1 });
      ex('job-pause', { id: 'j' });
      ex('job-cancel', { id: 'j' });
    });
    expect(seen).toEqual(['created', 'running', 'paused', 'running', 'aborting', 'concluded', 'null']);
    expectTableWalk(seen);
    expect(machineEnd(inputs['commit (auto)']!, ['job.start', 'job.pause', 'job.cancel'])).toBe('null');
  });

  it('a commit waiting for job-finalize stops in pending, then concluded until dismissed', () => {
    const seen = statuses((ex, advance) => {
      ex('block-commit', { 'job-id': 'j', device: 't', 'top-node': 't', speed: 0, 'auto-finalize': false, 'auto-dismiss': false });
      advance(1);
      ex('job-cancel', { id: 'j' });
      ex('job-dismiss', { id: 'j' });
    });
    expectTableWalk(seen);
    expect(seen.at(-1)).toBe('null');
  });
});
