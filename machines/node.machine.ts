/**
 * The read-only state of one block node: the single definition of that behaviour in both models.
 *
 * The core's permission refresh drives it: `open` when a node is created, `perms.changed` with the
 * node's new cumulative perm, `reopen.done` / `reopen.failed` once the core tried the reopen that a
 * `reopening*` state asks for, `options.changed` when blockdev-reopen gives new read-only options,
 * and `close` when the node goes. Tags say what the node shows: `read-only` is QMP's `ro`,
 * `fd-read-write` is the open mode of a file node's descriptor (O_RDWR, else O_RDONLY),
 * `follows-writers` / `refuses-writers` what a writer would do to it. And they name the effect a
 * state asks for: in a `reopen-read-write` or `reopen-read-only` state the core tries that reopen
 * (through its `Storage`) and answers with the outcome. The names are in node.types.ts.
 */
import { and, assign, not, setup } from 'xstate';
import { hasWriters, resizesOnly } from '../src/perms/writers.js';
import { NODE_TAGS, type NodeEvent, type NodeMachineContext, type NodeMachineInput } from './node.types.js';

export const nodeMachine = setup({
  types: {} as { context: NodeMachineContext; input: NodeMachineInput; events: NodeEvent },
  guards: {
    readOnlyOption: ({ context }) => context.readOnly,
    dynamicModel: ({ context }) => context.model === 'dynamic',
    autoReadOnly: ({ context }) => context.autoReadOnly,
    holdsFd: ({ context }) => context.holdsFd,
    hasWriters: ({ context, event }) =>
      event.type === 'perms.changed' && hasWriters(context.holdsFd, event.perm),
    resizesOnly: ({ event }) => event.type === 'perms.changed' && resizesOnly(event.perm),
  },
  actions: {
    takeOptions: assign(({ context, event }) =>
      event.type === 'options.changed'
        ? { ...context, readOnly: event.readOnly, autoReadOnly: event.autoReadOnly }
        : context,
    ),
  },
}).createMachine({
  id: 'node',
  initial: 'closed',
  context: ({ input }) => input,
  on: {
    'options.changed': { target: '.routing', actions: 'takeOptions' },
    close: { target: '.closed' },
  },
  states: {
    closed: {
      description: 'not open (yet, or any more)',
      on: { open: 'routing' },
    },
    routing: {
      description: 'the options decide: read-only, follows its writers, or read-write',
      always: [
        { guard: and(['readOnlyOption', 'autoReadOnly', 'holdsFd', not('dynamicModel')]), target: 'roFdIdle' },
        { guard: 'readOnlyOption', target: 'readOnly' },
        { guard: and(['autoReadOnly', 'dynamicModel']), target: 'idle' },
        { guard: and(['autoReadOnly', 'holdsFd']), target: 'fdIdle' },
        { target: 'readWrite' },
      ],
    },
    readOnly: {
      description: 'read-only=on: read-only until a reopen says otherwise',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.refusesWriters],
    },
    readWrite: {
      description: 'read-write, whatever its users',
      tags: [NODE_TAGS.fdReadWrite],
    },
    idle: {
      description: 'dynamic auto-read-only: no writer, so read-only',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.followsWriters],
      on: { 'perms.changed': { guard: 'hasWriters', target: 'reopeningReadWrite' } },
    },
    reopeningReadWrite: {
      description: 'the first writer attached: reopening read-write',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.followsWriters, NODE_TAGS.reopenReadWrite],
      on: { 'reopen.done': 'active', 'reopen.failed': 'idle' },
    },
    active: {
      description: 'dynamic auto-read-only with writers: read-write',
      tags: [NODE_TAGS.fdReadWrite, NODE_TAGS.followsWriters],
      on: { 'perms.changed': { guard: not('hasWriters'), target: 'reopeningReadOnly' } },
    },
    reopeningReadOnly: {
      description: 'the last writer detached: dropping back to read-only',
      tags: [NODE_TAGS.fdReadWrite, NODE_TAGS.followsWriters, NODE_TAGS.reopenReadOnly],
      on: { 'reopen.done': 'idle', 'reopen.failed': 'active' },
    },
    fdIdle: {
      description: 'QEMU 7.2 file-posix auto-read-only: node read-write, file open O_RDONLY',
      on: { 'perms.changed': { guard: 'hasWriters', target: 'fdReopeningReadWrite' } },
    },
    fdReopeningReadWrite: {
      description: 'a writer (write, write unchanged or resize) arrived: reopening the file O_RDWR',
      tags: [NODE_TAGS.reopenReadWrite],
      on: { 'reopen.done': 'fdActive', 'reopen.failed': 'fdIdle' },
    },
    fdActive: {
      description: 'QEMU 7.2 file-posix auto-read-only with writers: file open O_RDWR',
      tags: [NODE_TAGS.fdReadWrite],
      on: { 'perms.changed': { guard: not('hasWriters'), target: 'fdReopeningReadOnly' } },
    },
    fdReopeningReadOnly: {
      description: 'the last writer left: reopening the file O_RDONLY (a failure is ignored)',
      tags: [NODE_TAGS.fdReadWrite, NODE_TAGS.reopenReadOnly],
      on: { 'reopen.done': 'fdIdle', 'reopen.failed': 'fdActive' },
    },
    roFdIdle: {
      description: 'QEMU 7.2 file-posix read-only and auto-read-only: read-only, file open O_RDONLY',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.refusesWriters],
      on: { 'perms.changed': { guard: 'resizesOnly', target: 'roFdReopeningReadWrite' } },
    },
    roFdReopeningReadWrite: {
      description: 'resize, which the read-only check lets through, arrived: reopening the file O_RDWR',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.refusesWriters, NODE_TAGS.reopenReadWrite],
      on: { 'reopen.done': 'roFdActive', 'reopen.failed': 'roFdIdle' },
    },
    roFdActive: {
      description: 'QEMU 7.2 file-posix read-only and auto-read-only with resize: file open O_RDWR',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.refusesWriters, NODE_TAGS.fdReadWrite],
      on: { 'perms.changed': { guard: not('resizesOnly'), target: 'roFdReopeningReadOnly' } },
    },
    roFdReopeningReadOnly: {
      description: 'resize went: reopening the file O_RDONLY (a failure is ignored)',
      tags: [NODE_TAGS.readOnly, NODE_TAGS.refusesWriters, NODE_TAGS.fdReadWrite, NODE_TAGS.reopenReadOnly],
      on: { 'reopen.done': 'roFdIdle', 'reopen.failed': 'roFdActive' },
    },
  },
});

export type NodeMachine = typeof nodeMachine;
