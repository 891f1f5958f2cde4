/**
 * Model-based tests: the paths xstate/graph finds through the node machine and the job machine
 * (shortest paths with every event, simple paths with the events that keep the search small;
 * states serialized as value plus context, which is finite), each replayed as QMP commands against
 * a runtime. After every step the runtime's node or job must be where the path says, and the
 * invariant catalogue must hold. A step the runtime refuses must be one QEMU refuses too (the
 * machine does not know about other users); the path stops there, and every state the machine
 * can reach must still be reached by some replayed path.
 */
import { describe, expect, it } from 'vitest';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { jobMachine, type JobMachineInput } from '../../machines/job.machine.js';
import { nodeMachine } from '../../machines/node.machine.js';
import { NODE_TAGS, type NodeEvent, type NodeMachineContext, type ReopenDirection } from '../../machines/node.types.js';

/** The reopen a state of the chart asks for (its tag). */
function reopenOf(value: string): ReopenDirection | null {
  const tags = nodeMachine.states[value]?.tags ?? [];
  if (tags.includes(NODE_TAGS.reopenReadWrite)) return 'read-write';
  return tags.includes(NODE_TAGS.reopenReadOnly) ? 'read-only' : null;
}
import type { QmpReply } from '../../src/qapi/reply.js';
import { getNode } from '../../src/graph/graph.js';
import type { Model } from '../../src/graph/types.js';
import { checkStep, formatViolation } from '../../src/invariants/index.js';
import { Perm } from '../../src/perms/perm.js';
import { createPermgraph, type Permgraph } from '../../src/runtime/permgraph.js';
import { chmodVirtual } from '../../src/scenario/storage-steps.js';
import { createVirtualStorage, type VirtualStorage } from '../../src/storage/virtual-storage.js';

const OVERLAY_DATA = [0];
import { MODELS } from '../../machines/node.types.js';

const serializeState = (s: { value: unknown; context: unknown }): string => JSON.stringify([s.value, s.context]);
const flags = [false, true];

/** A runtime that checks the invariants after every command it is given. */
class Sut {
  readonly storage: VirtualStorage;
  readonly pg: Permgraph;
  readonly violations: string[] = [];

  /** Each overlay holds a cluster of data, for commits and streams to copy (with none they end as they start). */
  constructor(model: Model, files: Record<string, { format: 'raw' | 'qcow2'; backingFile?: string }>) {
    this.storage = createVirtualStorage(Object.fromEntries(Object.entries(files).map(([p, f]) => [p, { ...f, size: 1 << 20, ...(f.backingFile ? { clusters: OVERLAY_DATA } : {}) }])));
    this.pg = createPermgraph({ model, storage: this.storage });
  }

  run(execute: string, args: Record<string, unknown> = {}): QmpReply {
    const before = this.pg.graph;
    const reply = this.pg.execute({ execute, arguments: args });
    this.note(checkStep(before, this.pg.graph, { command: execute, reply }, { storage: this.storage }).map(formatViolation));
    return reply;
  }

  advance(seconds: number): void {
    const before = this.pg.graph;
    this.pg.advance(seconds);
    this.note(checkStep(before, this.pg.graph, { command: 'advance' }, { storage: this.storage }).map(formatViolation));
  }

  must(execute: string, args: Record<string, unknown> = {}): void {
    const reply = this.run(execute, args);
    if ('error' in reply) throw new Error(`${execute}: ${reply.error.desc}`);
  }

  private note(lines: string[]): void {
    this.violations.push(...lines);
  }
}

// ---------------------------------------------------------------- the node machine

const PERMS = [0, Perm.CONSISTENT_READ, Perm.CONSISTENT_READ | Perm.WRITE];
const NODE_EVENTS: NodeEvent[] = [
  { type: 'open' },
  { type: 'close' },
  ...PERMS.map((perm) => ({ type: 'perms.changed', perm }) as const),
  { type: 'reopen.done' },
  { type: 'reopen.failed' },
  ...flags.flatMap((readOnly) => flags.map((autoReadOnly) => ({ type: 'options.changed', readOnly, autoReadOnly }) as const)),
];
const IMAGE = '/i/n.img';

type NodePath = ReturnType<typeof getShortestPaths<typeof nodeMachine>>[number];
type NodeState = NodePath['state'];

/** QMP reopens only open nodes: a closed node's machine is offered no new options. */
const nodeEvents = (state: { value: unknown }): NodeEvent[] =>
  state.value === 'closed' ? NODE_EVENTS.filter((e) => e.type !== 'options.changed') : NODE_EVENTS;

function nodePaths(input: NodeMachineContext): NodePath[] {
  const shortest = getShortestPaths(nodeMachine, { input, events: nodeEvents, serializeState });
  const simple = getSimplePaths(nodeMachine, { input, events: NODE_EVENTS.filter((e) => e.type !== 'options.changed'), serializeState });
  const seen = new Set<string>();
  return [...shortest, ...simple].filter((p) => {
    const key = JSON.stringify(p.steps.map((s) => s.event));
    return !seen.has(key) && seen.add(key);
  });
}

/** Where the node is in the runtime, against where the path says it is. */
function expectNodeAt(sut: Sut, state: NodeState, holdsFd: boolean, where: string): void {
  const node = getNode(sut.pg.graph, 'n');
  if (state.value === 'closed') {
    expect(node, where).toBeUndefined();
    return;
  }
  expect(node?.machine.value, where).toBe(state.value);
  expect(sut.pg.nodeActor('n')?.getSnapshot().value, `${where} (live actor)`).toBe(state.value);
  expect(node?.readOnly, `${where}: ro`).toBe(state.hasTag(NODE_TAGS.readOnly));
  if (holdsFd) expect(node?.file?.mode, `${where}: fd`).toBe(state.hasTag(NODE_TAGS.fdReadWrite) ? 'O_RDWR' : 'O_RDONLY');
}

/** Replays a node machine path as QMP commands; returns the states the runtime reached. */
function replayNodePath(model: Model, holdsFd: boolean, path: NodePath): string[] {
  const sut = new Sut(model, { [IMAGE]: { format: 'raw' } });
  sut.must('nbd-server-start', { addr: { type: 'unix', data: { path: '/i/s' } } });
  const driver = holdsFd ? { driver: 'file', filename: IMAGE } : { driver: 'null-co' };
  let exported = 0;
  expectNodeAt(sut, path.steps[0]!.state, holdsFd, 'at the start');
  const reached: string[] = [String(path.steps[0]!.state.value)];
  const setExport = (perm: number): QmpReply | undefined => {
    let reply: QmpReply | undefined;
    if (exported) reply = sut.run('block-export-del', { id: 'e' });
    if (perm) reply = sut.run('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'n', writable: (perm & Perm.WRITE) !== 0 });
    exported = reply && 'error' in reply ? exported : perm;
    return reply;
  };
  const steps = path.steps.slice(1); // steps[0] is xstate.init
  for (let i = 0; i < steps.length; i++) {
    const { event, state } = steps[i]!;
    const before = i === 0 ? path.steps[0]!.state : steps[i - 1]!.state;
    const where = `${JSON.stringify(steps.slice(0, i + 1).map((s) => s.event))}`;
    let reply: QmpReply | undefined;
    if (event.type === 'open') {
      reply = sut.run('blockdev-add', { ...driver, 'node-name': 'n', 'read-only': before.context.readOnly, 'auto-read-only': before.context.autoReadOnly });
    } else if (event.type === 'close') {
      setExport(0);
      reply = sut.run('blockdev-del', { 'node-name': 'n' });
    } else if (event.type === 'options.changed') {
      reply = sut.run('blockdev-reopen', { options: [{ ...driver, 'node-name': 'n', 'read-only': event.readOnly, 'auto-read-only': event.autoReadOnly }] });
    } else if (event.type === 'perms.changed') {
      const reopen = reopenOf(String(state.value));
      if (reopen) {
        // the reopen's outcome is the storage's answer within the same command
        const outcome = steps[i + 1]?.event.type;
        if (!outcome) break;
        if (outcome === 'reopen.failed' && !holdsFd) break; // only a descriptor can fail to reopen
        if (outcome === 'reopen.failed') chmodVirtual(sut.storage, IMAGE, reopen === 'read-write' ? '0444' : '0000');
        reply = setExport(event.perm);
        chmodVirtual(sut.storage, IMAGE, '0644');
        i++;
        if (outcome === 'reopen.failed' && reopen === 'read-write') {
          expect(reply && 'error' in reply, `${where}: a writer the storage refuses is refused`).toBe(true);
          reply = undefined;
        }
      } else {
        reply = setExport(event.perm);
      }
    }
    if (reply && 'error' in reply) {
      // refused by the runtime, as QEMU refuses it: a writer still there, or a read-only node asked to write
      expect(reply.error.desc, where).toMatch(/read-only|in use|read only|Permission denied/);
      break;
    }
    const at = steps[i]!.state;
    expectNodeAt(sut, at, holdsFd, where);
    reached.push(String(at.value));
  }
  expect(sut.violations, JSON.stringify(path.steps.map((s) => s.event))).toEqual([]);
  sut.pg.dispose();
  return reached;
}

describe('node machine paths replayed against the runtime', () => {
  for (const model of MODELS) {
    for (const holdsFd of flags) {
      for (const readOnly of flags) {
        for (const autoReadOnly of flags) {
          const input: NodeMachineContext = { model, holdsFd, readOnly, autoReadOnly };
          it(`${model}, ${holdsFd ? 'file' : 'null-co'}, read-only=${readOnly}, auto-read-only=${autoReadOnly}`, () => {
            const paths = nodePaths(input);
            const reachable = new Set(paths.map((p) => String(p.state.value)));
            const reached = new Set<string>();
            for (const path of paths) for (const s of replayNodePath(model, holdsFd, path)) reached.add(s);
            // the reopening states are passed through inside one command and never rest
            const resting = [...reachable].filter((s) => !reopenOf(s) && s !== 'routing');
            expect(resting.filter((s) => !reached.has(s))).toEqual([]);
          });
        }
      }
    }
  }
});

// ---------------------------------------------------------------- the job machine

const JOB_EVENTS = (['job.start', 'job.pause', 'job.resume', 'job.work-done', 'job.complete', 'job.cancel', 'job.finalize', 'job.dismiss'] as const).map((type) => ({ type }));
type JobPath = ReturnType<typeof getShortestPaths<typeof jobMachine>>[number];

const VERB: Readonly<Record<string, string>> = {
  'job.pause': 'job-pause',
  'job.resume': 'job-resume',
  'job.complete': 'job-complete',
  'job.cancel': 'job-cancel',
  'job.finalize': 'job-finalize',
  'job.dismiss': 'job-dismiss',
};

function replayJobPath(model: Model, input: JobMachineInput, path: JobPath): string[] {
  const sut = new Sut(model, {
    '/i/base.qcow2': { format: 'qcow2' },
    '/i/mid.qcow2': { format: 'qcow2', backingFile: '/i/base.qcow2' },
    '/i/top.qcow2': { format: 'qcow2', backingFile: '/i/mid.qcow2' },
  });
  for (const [name, backing] of [['base', null], ['mid', 'base'], ['top', 'mid']] as const) {
    sut.must('blockdev-add', { driver: 'file', 'node-name': `${name}-file`, filename: `/i/${name}.qcow2`, 'auto-read-only': true });
    sut.must('blockdev-add', { driver: 'qcow2', 'node-name': name, file: `${name}-file`, backing, ...(name === 'top' ? {} : { 'read-only': true }) });
  }
  const status = (): string => sut.pg.graph.jobs['j']?.status ?? 'null';
  const reached: string[] = [];
  const steps = path.steps.slice(1);
  for (let i = 0; i < steps.length; i++) {
    const { event, state } = steps[i]!;
    const where = JSON.stringify(steps.slice(0, i + 1).map((s) => s.event.type));
    const before = i === 0 ? path.steps[0]!.state : steps[i - 1]!.state;
    if (before.value === 'created' && event.type !== 'job.start') break; // a job rests in created only inside block-commit
    if (event.type === 'job.start') {
      sut.must('block-commit', {
        'job-id': 'j',
        device: 'top',
        ...(input.waitsForComplete ? {} : { 'top-node': 'mid' }),
        'base-node': 'base',
        'auto-finalize': input.autoFinalize,
        'auto-dismiss': input.autoDismiss,
      });
    } else if (event.type === 'job.work-done') {
      sut.advance(1);
    } else {
      const verb = VERB[event.type];
      if (!verb) break;
      sut.must(verb, { id: 'j' });
    }
    expect(status(), where).toBe(String(state.value));
    reached.push(String(state.value));
  }
  expect(sut.violations, JSON.stringify(path.steps.map((s) => s.event.type))).toEqual([]);
  sut.pg.dispose();
  return reached;
}

describe('job machine paths replayed against the runtime', () => {
  for (const model of MODELS) {
    for (const waitsForComplete of flags) {
      for (const autoFinalize of flags) {
        for (const autoDismiss of flags) {
          const input: JobMachineInput = { id: 'j', type: 'commit', autoFinalize, autoDismiss, waitsForComplete };
          it(`${model}, ${waitsForComplete ? 'active' : 'intermediate'} commit, auto-finalize=${autoFinalize}, auto-dismiss=${autoDismiss}`, () => {
            const paths = [...getShortestPaths(jobMachine, { input, events: JOB_EVENTS, serializeState }), ...getSimplePaths(jobMachine, { input, events: JOB_EVENTS, serializeState })];
            const reached = new Set<string>();
            for (const path of paths) for (const s of replayJobPath(model, input, path)) reached.add(s);
            const resting = new Set(paths.map((p) => String(p.state.value)).filter((s) => s !== 'created' && s !== 'aborting' && s !== 'waiting'));
            expect([...resting].filter((s) => !reached.has(s))).toEqual([]);
          });
        }
      }
    }
  }
});
