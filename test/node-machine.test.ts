/** The node machine is the single definition of read-only behaviour: its paths, and its power. */
import { describe, expect, it } from 'vitest';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { nodeMachine } from '../machines/node.machine.js';
import type { NodeEvent } from '../machines/node.types.js';
import { createPermgraph, createVirtualStorage, openFiles, Perm } from '../src/index.js';

const EVENTS: NodeEvent[] = [
  { type: 'open' },
  { type: 'perms.changed', perm: Perm.WRITE | Perm.CONSISTENT_READ },
  { type: 'perms.changed', perm: Perm.RESIZE },
  { type: 'perms.changed', perm: Perm.CONSISTENT_READ },
  { type: 'reopen.done' },
  { type: 'reopen.failed' },
  { type: 'close' },
];
const serializeState = (s: { value: unknown }): string => JSON.stringify(s.value);

describe('paths through the node machine', () => {
  const reachable = (input: Parameters<typeof getShortestPaths<typeof nodeMachine>>[1] extends infer _ ? Record<string, unknown> : never) =>
    new Set(getShortestPaths(nodeMachine, { input: input as never, events: EVENTS, serializeState }).map((p) => String(p.state.value)));

  it('dynamic auto-read-only: read-only, reopening, read-write and back', () => {
    const states = reachable({ model: 'dynamic', holdsFd: false, readOnly: false, autoReadOnly: true });
    expect([...states].sort()).toEqual(['active', 'closed', 'idle', 'reopeningReadOnly', 'reopeningReadWrite']);
  });

  it('qemu-7.2 file auto-read-only: only the descriptor follows', () => {
    const states = reachable({ model: 'qemu-7.2', holdsFd: true, readOnly: false, autoReadOnly: true });
    expect([...states].sort()).toEqual(['closed', 'fdActive', 'fdIdle', 'fdReopeningReadOnly', 'fdReopeningReadWrite']);
  });

  it('qemu-7.2 format node with auto-read-only: plain read-write (the option does nothing there)', () => {
    const states = reachable({ model: 'qemu-7.2', holdsFd: false, readOnly: false, autoReadOnly: true });
    expect([...states].sort()).toEqual(['closed', 'readWrite']);
  });

  it('read-only=on wins in both models', () => {
    for (const model of ['dynamic', 'qemu-7.2'] as const) {
      const states = reachable({ model, holdsFd: true, readOnly: true, autoReadOnly: false });
      expect([...states].sort()).toEqual(['closed', 'readOnly']);
    }
    expect([...reachable({ model: 'dynamic', holdsFd: true, readOnly: true, autoReadOnly: true })].sort()).toEqual(['closed', 'readOnly']);
  });

  it('qemu-7.2 file read-only and auto-read-only: read-only, but resize reopens the descriptor', () => {
    const states = reachable({ model: 'qemu-7.2', holdsFd: true, readOnly: true, autoReadOnly: true });
    expect([...states].sort()).toEqual(['closed', 'roFdActive', 'roFdIdle', 'roFdReopeningReadOnly', 'roFdReopeningReadWrite']);
  });

  it('RESIZE counts as a writer for a file node, not for a format node', () => {
    const paths = getSimplePaths(nodeMachine, {
      input: { model: 'dynamic', holdsFd: false, readOnly: false, autoReadOnly: true },
      events: [{ type: 'open' }, { type: 'perms.changed', perm: Perm.RESIZE }],
      serializeState,
    });
    expect(paths.map((p) => String(p.state.value)).sort()).toEqual(['closed', 'idle']);
  });
});

describe('changing the machine changes the behaviour', () => {
  const run = (machine = nodeMachine) => {
    const storage = createVirtualStorage({ '/i/a.img': { format: 'raw' } });
    const pg = createPermgraph({ model: 'dynamic', storage, nodeMachine: machine });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/i/a.img', 'auto-read-only': true } });
    pg.execute({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/s' } } } });
    const reply = pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e', 'node-name': 'f', writable: true } });
    return { reply, mode: openFiles(pg.graph)[0]?.mode, state: pg.graph && pg.nodeActor('f')?.getSnapshot().value };
  };

  it('the shipped machine reopens the file for the writer', () => {
    expect(run()).toEqual({ reply: { return: {} }, mode: 'O_RDWR', state: 'active' });
  });

  it('a machine whose hasWriters guard never fires refuses the writer: the node stays read-only', () => {
    const stubborn = nodeMachine.provide({ guards: { hasWriters: () => false } });
    expect(run(stubborn)).toEqual({
      reply: { error: { class: 'GenericError', desc: 'Block node is read-only' } },
      mode: 'O_RDONLY',
      state: 'idle',
    });
  });
});
