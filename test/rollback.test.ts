/**
 * Every kind of refusal leaves the graph exactly as it was: the same snapshot object, deep-equal
 * to a copy taken before, with only `command.rejected` (and a failed reopen) published.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type GraphEvent, type Model, type VirtualFile } from '../src/index.js';

type Cmd = readonly [string, Record<string, unknown>?];

interface Case {
  readonly name: string;
  readonly files?: Record<string, VirtualFile>;
  readonly setup: readonly Cmd[];
  readonly fail: Cmd;
  /** The error text (both models unless `dynamic` differs). */
  readonly desc: string;
  readonly dynamic?: string;
  readonly models?: readonly Model[];
}

const files: Record<string, VirtualFile> = {
  '/i/a.img': { format: 'raw', size: 1 << 20 },
  '/i/q.qcow2': { format: 'qcow2', size: 1 << 20 },
  '/i/ro.img': { format: 'raw', writable: false },
  '/i/base.qcow2': { format: 'qcow2' },
};
const file = (name: string, filename: string, extra: Record<string, unknown> = {}): Cmd => [
  'blockdev-add', { driver: 'file', 'node-name': name, filename, ...extra },
];
const nbd: Cmd = ['nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/n.sock' } } }];
const exportOf = (id: string, node: string, writable = true): Cmd => [
  'block-export-add', { type: 'nbd', id, 'node-name': node, writable },
];

const CASES: Case[] = [
  { name: 'unknown command', setup: [], fail: ['nosuch'], desc: 'The command nosuch has not been found' },
  { name: 'missing argument', setup: [], fail: ['blockdev-add', { driver: 'file', 'node-name': 'f' }], desc: "Parameter 'filename' is missing" },
  { name: 'unexpected argument', setup: [], fail: ['blockdev-del', { 'node-name': 'x', pad: 1 }], desc: "Parameter 'pad' is unexpected" },
  { name: 'wrong type', setup: [], fail: ['blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/a.img', 'read-only': 'yes' }], desc: "Invalid parameter type for 'read-only', expected: boolean" },
  { name: 'root without node-name', setup: [], fail: ['blockdev-add', { driver: 'file', filename: '/i/a.img' }], desc: "'node-name' must be specified for the root node" },
  { name: 'invalid node name', setup: [], fail: file('#bad', '/i/a.img'), desc: "Invalid node-name: '#bad'" },
  { name: 'duplicate node name', setup: [file('f0', '/i/a.img')], fail: file('f0', '/i/q.qcow2'), desc: "Duplicate nodes with node-name='f0'" },
  { name: 'node name too long', setup: [], fail: file('n'.repeat(32), '/i/a.img'), desc: 'Node name too long' },
  { name: 'missing file', setup: [], fail: file('f0', '/i/none.img'), desc: "Could not open '/i/none.img': No such file or directory" },
  { name: 'unwritable file without auto-read-only', setup: [], fail: file('f0', '/i/ro.img'), desc: "Could not open '/i/ro.img': Permission denied" },
  { name: 'force-share on a read-write node', setup: [], fail: file('f0', '/i/a.img', { 'force-share': true }), desc: 'force-share=on can only be used with read-only images' },
  { name: 'qcow2 over a raw image, after its inline file was opened', setup: [], fail: ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/i/a.img' } }], desc: 'Image is not in qcow2 format' },
  { name: 'unknown backing reference, after file and header', setup: [], fail: ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/i/q.qcow2' }, backing: 'nosuch' }], desc: "Could not open backing file: Cannot find device='nosuch' nor node-name='nosuch'" },
  {
    name: 'permission conflict between two format nodes',
    setup: [file('g', '/i/q.qcow2'), ['blockdev-add', { driver: 'qcow2', 'node-name': 'q1', file: 'g' }]],
    fail: ['blockdev-add', { driver: 'qcow2', 'node-name': 'q2', file: 'g' }],
    desc: "Permission conflict on node 'g': permissions 'write, resize' are both required by node 'q1' (uses node 'g' as 'file' child) and unshared by node 'q2' (uses node 'g' as 'file' child).",
  },
  {
    name: 'read-write format node over a read-only file node',
    setup: [file('fr', '/i/q.qcow2', { 'read-only': true })],
    fail: ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'fr' }],
    desc: 'Block node is read-only',
  },
  {
    name: 'a writer on unwritable auto-read-only storage',
    setup: [file('fu', '/i/ro.img', { 'auto-read-only': true }), ['blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'fu' }], nbd],
    fail: exportOf('e1', 'r'),
    desc: "Could not open '/i/ro.img': Permission denied",
    dynamic: "Cannot reopen node 'fu' read-write for a writer: could not open '/i/ro.img': Permission denied",
  },
  {
    name: 'second file node on a locked image',
    setup: [file('g1', '/i/q.qcow2'), ['blockdev-add', { driver: 'qcow2', 'node-name': 'q1', file: 'g1' }], file('g2', '/i/q.qcow2')],
    fail: ['blockdev-add', { driver: 'qcow2', 'node-name': 'q2', file: 'g2' }],
    desc: 'Failed to get "write" lock',
  },
  { name: 'export before the NBD server', setup: [file('f0', '/i/a.img')], fail: exportOf('e1', 'f0'), desc: 'NBD server not running' },
  { name: 'export of an unknown node', setup: [nbd], fail: exportOf('e1', 'nope'), desc: "Cannot find device='' nor node-name='nope'" },
  { name: 'writable export of a read-only node', setup: [file('f0', '/i/a.img', { 'read-only': true }), nbd], fail: exportOf('e1', 'f0'), desc: 'Cannot export read-only node as writable' },
  { name: 'export id in use', setup: [file('f0', '/i/a.img'), nbd, exportOf('e1', 'f0')], fail: exportOf('e1', 'f0'), desc: "Block export id 'e1' is already in use" },
  { name: 'export name in use', setup: [file('f0', '/i/a.img'), nbd, exportOf('e1', 'f0')], fail: exportOf('e2', 'f0'), desc: "NBD server already has export named 'f0'" },
  { name: 'delete a node with an export', setup: [file('f0', '/i/a.img'), nbd, exportOf('e1', 'f0')], fail: ['blockdev-del', { 'node-name': 'f0' }], desc: 'Node f0 is in use' },
  { name: 'delete a node with a parent', setup: [file('f0', '/i/a.img'), ['blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f0' }]], fail: ['blockdev-del', { 'node-name': 'f0' }], desc: 'Block device f0 is in use' },
  { name: 'delete an inline child', setup: [['blockdev-add', { driver: 'raw', 'node-name': 'r', file: { driver: 'file', 'node-name': 'rf', filename: '/i/a.img' } }]], fail: ['blockdev-del', { 'node-name': 'rf' }], desc: 'Node rf is not owned by the monitor' },
  {
    name: 'reopen read-only under a writer',
    setup: [file('f0', '/i/a.img'), ['blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f0' }], nbd, exportOf('e1', 'r')],
    fail: ['blockdev-reopen', { options: [{ driver: 'file', 'node-name': 'f0', filename: '/i/a.img', 'read-only': true }] }],
    desc: "Read-only block node 'f0' cannot support read-write users",
  },
  {
    name: 'reopen changing the filename',
    setup: [file('f0', '/i/a.img')],
    fail: ['blockdev-reopen', { options: [{ driver: 'file', 'node-name': 'f0', filename: '/i/q.qcow2' }] }],
    desc: "Cannot change the option 'filename'",
  },
  {
    name: 'multi-node reopen where the second fails',
    setup: [file('f0', '/i/a.img', { 'auto-read-only': true }), file('fu', '/i/ro.img', { 'auto-read-only': true })],
    fail: ['blockdev-reopen', { options: [
      { driver: 'file', 'node-name': 'f0', filename: '/i/a.img' },
      { driver: 'file', 'node-name': 'fu', filename: '/i/ro.img' },
    ] }],
    desc: "Could not open '/i/ro.img': Permission denied",
  },
  {
    name: 'backing that would create a cycle',
    setup: [
      file('bf', '/i/base.qcow2'), ['blockdev-add', { driver: 'qcow2', 'node-name': 'b', file: 'bf', backing: null }],
      file('qf', '/i/q.qcow2'), ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'qf', backing: 'b' }],
    ],
    fail: ['blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'b', file: 'bf', backing: 'q' }] }],
    desc: "Making 'q' a backing child of 'b' would create a cycle",
  },
  {
    name: 'resize of a node over a read-only file',
    setup: [file('fr', '/i/a.img', { 'read-only': true }), ['blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'fr' }]],
    fail: ['block_resize', { 'node-name': 'r', size: 2 << 20 }],
    desc: 'Image is read-only',
  },
  { name: 'throttle without its group', setup: [file('f0', '/i/a.img')], fail: ['blockdev-add', { driver: 'throttle', 'node-name': 't', 'throttle-group': 'tg', file: 'f0' }], desc: "Throttle group 'tg' does not exist" },
];

describe.each(['qemu-7.2', 'dynamic'] as const)('model %s: a refused command changes nothing', (model) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const pg = createPermgraph({ model, storage: createVirtualStorage({ ...files, ...c.files }) });
    for (const [execute, args] of c.setup) {
      expect(pg.execute({ execute, ...(args ? { arguments: args } : {}) }), `setup ${execute}`).toHaveProperty('return');
    }
    const before = pg.graph;
    const copy = structuredClone(before);
    const events: GraphEvent[] = [];
    pg.events$.subscribe((e) => events.push(e));
    const [execute, args] = c.fail;
    const reply = pg.execute({ execute, ...(args ? { arguments: args } : {}) });
    const desc = model === 'dynamic' && c.dynamic ? c.dynamic : c.desc;
    expect(reply).toEqual({ error: { class: execute === 'nosuch' ? 'CommandNotFound' : 'GenericError', desc } });
    expect(pg.graph).toBe(before);
    expect(structuredClone(pg.graph)).toEqual(copy);
    expect(events.map((e) => e.type).filter((t) => t !== 'reopen.failed')).toEqual(['command.rejected']);
  });
});
