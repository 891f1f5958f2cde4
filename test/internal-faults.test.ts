/**
 * A fault of the simulator's own never leaves execute(): a driver policy or a node machine that
 * throws makes the command an `internal error: …` reply of class GenericError, written on the
 * logger as one line naming the command; the snapshot stays the one before and only
 * `command.rejected` is published. Inputs that are no command at all get QEMU's dispatcher texts.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { nodeMachine, type NodeMachine } from '../machines/node.machine.js';
import { dispatch, faultMessage } from '../src/commands/dispatch.js';
import type { QmpCommand } from '../src/qapi/reply.js';
import { createNodeStepper } from '../src/runtime/node-stepper.js';
import { DRIVERS, type DriverPolicies } from '../src/drivers/registry.js';
import { Perm } from '../src/perms/perm.js';
import { emptyGraph, getNode } from '../src/graph/graph.js';
import { createPermgraph, createVirtualStorage, type GraphEvent, type Permgraph, type PermgraphOptions, type Storage } from '../src/index.js';

/** qcow2's child rule throws (a policy with a bug the type checker cannot see). */
const THROWING_POLICY: DriverPolicies = {
  ...DRIVERS,
  qcow2: {
    ...DRIVERS.qcow2,
    childPerm: () => {
      throw new Error('planted fault in the qcow2 policy');
    },
  },
};

/** The machine's writer guard throws on a writer: the core's refresh meets it when one comes. */
const THROWING_GUARD: NodeMachine = nodeMachine.provide({
  guards: {
    hasWriters: ({ event }) => {
      if (event.type === 'perms.changed' && event.perm & Perm.WRITE) throw new TypeError('planted fault in a guard');
      return false;
    },
  },
});

/**
 * Entering `idle` runs an action that throws: the core's pure transition() leaves such actions to
 * whoever runs the machine, so only the live actors meet it.
 */
const THROWING_ACTION: NodeMachine = (() => {
  const config = nodeMachine.config;
  const states = config.states!;
  const idle = {
    ...states['idle'],
    entry: () => {
      throw new Error('planted fault in an action');
    },
  };
  return createMachine({ ...config, states: { ...states, idle } }, nodeMachine.implementations) as unknown as NodeMachine;
})();

const files = { '/i/a.qcow2': { format: 'qcow2' as const, size: 1 << 20 }, '/i/b.img': { format: 'raw' as const, size: 1 << 20 } };

function harness(options: PermgraphOptions) {
  const lines: string[] = [];
  const events: GraphEvent[] = [];
  const pg: Permgraph = createPermgraph({ storage: createVirtualStorage(files), ...options, logger: { write: (text) => void lines.push(text) } });
  pg.events$.subscribe((event) => events.push(event));
  /** Runs a command; the events it published. */
  const run = (command: QmpCommand) => {
    const from = events.length;
    const reply = pg.execute(command);
    return { reply, events: events.slice(from) };
  };
  return { pg, lines, run };
}

const add = (args: Record<string, unknown>): QmpCommand => ({ execute: 'blockdev-add', arguments: args });
const file = (name: string, filename: string, extra: Record<string, unknown> = {}): QmpCommand =>
  add({ driver: 'file', 'node-name': name, filename, ...extra });

describe('a driver policy that throws', () => {
  for (const model of ['dynamic', 'qemu-7.2'] as const) {
    it(`answers an internal error, logs one line and changes nothing (${model})`, () => {
      const { pg, lines, run } = harness({ model, driverPolicies: THROWING_POLICY });
      expect(run(file('f0', '/i/a.qcow2')).reply).toEqual({ return: {} });
      const before = pg.graph;
      const desc = 'internal error: planted fault in the qcow2 policy';

      const { reply, events } = run(add({ driver: 'qcow2', 'node-name': 'q0', file: 'f0' }));
      expect(reply).toEqual({ error: { class: 'GenericError', desc } });
      expect(pg.graph).toBe(before);
      expect(events).toEqual([{ type: 'command.rejected', command: 'blockdev-add', error: { class: 'GenericError', desc } }]);
      expect(lines).toEqual(['permgraph: internal error in blockdev-add: planted fault in the qcow2 policy\n']);

      // the runtime carries on
      expect(run(file('f1', '/i/b.img')).reply).toEqual({ return: {} });
      expect(run({ execute: 'query-named-block-nodes' }).reply).toMatchObject({ return: [{ 'node-name': 'f1' }, { 'node-name': 'f0' }] });
      expect(lines).toHaveLength(1);
    });
  }
});

describe('a node machine that throws', () => {
  it('in a guard the core consults: an internal error at the first writer', () => {
    const { pg, lines, run } = harness({ model: 'dynamic', nodeMachine: THROWING_GUARD, nodeActors: false });
    expect(run(file('f0', '/i/b.img', { 'auto-read-only': true })).reply).toEqual({ return: {} });
    expect(run({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/n.sock' } } } }).reply).toEqual({ return: {} });
    const before = pg.graph;
    const { reply, events } = run({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e0', 'node-name': 'f0', writable: true } });
    expect(reply).toMatchObject({ error: { class: 'GenericError' } });
    const desc = (reply as { error: { desc: string } }).error.desc;
    expect(desc).toMatch(/^internal error: .*planted fault in a guard$/);
    // xstate's message has two lines; the reply and the log line have one
    expect(desc).not.toContain('\n');
    expect(pg.graph).toBe(before);
    expect(events.map((e) => e.type)).toEqual(['command.rejected']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^permgraph: internal error in block-export-add: .*planted fault in a guard\n$/);
  });

  it('in an action only the live actors run: the actors start again from the snapshot before', () => {
    const { pg, lines, run } = harness({ model: 'dynamic', nodeMachine: THROWING_ACTION, nodeActors: true });
    expect(run(file('f0', '/i/b.img')).reply).toEqual({ return: {} });
    const before = pg.graph;
    // an auto-read-only node of the dynamic model opens into `idle`
    const { reply, events } = run(file('f1', '/i/a.qcow2', { 'auto-read-only': true }));
    expect(reply).toEqual({ error: { class: 'GenericError', desc: 'internal error: planted fault in an action' } });
    expect(pg.graph).toBe(before);
    expect(events.map((e) => e.type)).toEqual(['command.rejected']);
    expect(lines).toEqual(['permgraph: internal error in blockdev-add: planted fault in an action\n']);
    // the actors are those of the snapshot that stayed, each in its node's state
    expect(pg.nodeActorCount).toBe(1);
    expect(pg.nodeActor('f1')).toBeUndefined();
    expect(pg.nodeActor('f0')?.getSnapshot().value).toBe(getNode(pg.graph, 'f0')!.machine.value);
    expect(pg.nodeActor('f0')?.getSnapshot().status).toBe('active');
    expect(run(file('f2', '/i/a.qcow2')).reply).toEqual({ return: {} });
    expect(pg.nodeActorCount).toBe(2);
  });
});

describe('a fault while the clock moves jobs on', () => {
  it('is logged, and the clock and the jobs stay where they were', () => {
    // an image over a backing that holds data: the stream has something to copy
    const virtual = createVirtualStorage({ ...files, '/i/a.qcow2': { ...files['/i/a.qcow2'], clusters: [0] }, '/i/top.qcow2': { format: 'qcow2', size: 1 << 20, backingFile: '/i/a.qcow2', backingFormat: 'qcow2' } });
    let broken = false;
    const storage: Storage = {
      openError: (path, mode) => {
        if (broken) throw new Error('the storage broke');
        return virtual.openError(path, mode);
      },
      inspect: (path) => virtual.inspect(path),
      create: (path, header) => virtual.create(path, header),
      nbdConnect: (address, exportName) => virtual.nbdConnect(address, exportName),
      nbdServerRunning: (id) => virtual.nbdServerRunning(id),
    };
    const { pg, lines, run } = harness({ model: 'dynamic', storage });
    expect(run(add({ driver: 'qcow2', 'node-name': 'q0', 'auto-read-only': true, file: { driver: 'file', filename: '/i/top.qcow2', 'auto-read-only': true } })).reply).toEqual({ return: {} });
    expect(run({ execute: 'block-stream', arguments: { device: 'q0', 'job-id': 's0', 'auto-dismiss': false } }).reply).toEqual({ return: {} });
    const before = pg.graph;
    broken = true;
    expect(() => pg.advance(1)).not.toThrow();
    expect(pg.graph).toBe(before);
    expect(lines).toEqual(['permgraph: internal error in advancing the clock by 1 s: the storage broke\n']);
    // a clock that keeps failing the same way (as the wall clock ticks) says so once
    pg.advance(1);
    expect(pg.graph).toBe(before);
    expect(lines).toHaveLength(1);
    broken = false;
    pg.advance(1);
    expect(run({ execute: 'query-jobs' }).reply).toMatchObject({ return: [{ id: 's0', status: 'concluded' }] });
  });
});

describe('inputs that are no command', () => {
  const { pg, lines } = harness({ model: 'qemu-7.2' });
  const answer = (input: unknown) => pg.execute(input as QmpCommand);

  it.each([
    ['null', null, 'QMP input must be a JSON object'],
    ['a string', 'query-version', 'QMP input must be a JSON object'],
    ['an array', [{ execute: 'query-version' }], 'QMP input must be a JSON object'],
    ['no execute', { arguments: {} }, "QMP input lacks member 'execute'"],
    ['a numeric execute', { execute: 7 }, "QMP input member 'execute' must be a string"],
    ['arguments that are a list', { execute: 'query-version', arguments: [] }, "QMP input member 'arguments' must be an object"],
    ['arguments that are a string', { execute: 'blockdev-del', arguments: 'n0' }, "QMP input member 'arguments' must be an object"],
  ])('%s', (_name, input, desc) => {
    const before = pg.graph;
    expect(answer(input)).toEqual({ error: { class: 'GenericError', desc } });
    expect(pg.graph).toBe(before);
    expect(lines).toEqual([]);
  });

  it('arguments whose reading throws are a fault, not a crash', () => {
    const hostile = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error('no keys for you'); } });
    expect(answer({ execute: 'blockdev-del', arguments: hostile })).toEqual({ error: { class: 'GenericError', desc: 'internal error: no keys for you' } });
    expect(lines).toEqual(['permgraph: internal error in blockdev-del: no keys for you\n']);
  });
});

describe('dispatch() on its own', () => {
  it('turns any throw into an internal error and names what was thrown', () => {
    const env = { storage: createVirtualStorage(files), stepper: createNodeStepper(), drivers: THROWING_POLICY };
    const graph = emptyGraph('qemu-7.2');
    const setup = dispatch(graph, env, file('f0', '/i/a.qcow2'));
    const result = dispatch(setup.graph, env, add({ driver: 'qcow2', 'node-name': 'q0', file: 'f0' }));
    expect(result.graph).toBe(setup.graph);
    expect(result.internal?.fault).toBeInstanceOf(Error);
    expect(result.reply).toEqual({ error: { class: 'GenericError', desc: 'internal error: planted fault in the qcow2 policy' } });
  });

  it.each([
    [new Error('a\n  b'), 'a b'],
    [new RangeError(''), 'RangeError'],
    ['text', 'text'],
    [undefined, 'undefined'],
    [Object.create(null) as unknown, '[object Object]'],
    [{ toString: (): string => { throw new Error('nope'); } }, '[object Object]'],
  ])('what is thrown (%#) reads as one line', (fault, text) => {
    expect(faultMessage(fault)).toBe(text);
  });

  it('even a revoked proxy reads as a line', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(faultMessage(revoked.proxy)).toBe('unknown fault');
  });
});
