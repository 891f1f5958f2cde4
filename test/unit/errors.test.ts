/**
 * QEMU 7.2's permission error texts, reproduced through execute() where QEMU gave them: which
 * parent is "required by" and which "unshared by" follows the parent-list order (newest first).
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage } from '../../src/index.js';
import { msg } from '../../src/core/messages.js';

const files = { '/i/g.qcow2': { format: 'qcow2' as const }, '/i/t.qcow2': { format: 'qcow2' as const } };

function run(commands: [string, Record<string, unknown>][]) {
  const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(files) });
  return commands.map(([execute, args]) => pg.execute({ execute, arguments: args }));
}

describe('conflict texts (spec §4.6, observed)', () => {
  it('two format nodes on one file node: the newest edge is "unshared by"', () => {
    const replies = run([
      ['blockdev-add', { driver: 'file', 'node-name': 'g', filename: '/i/g.qcow2' }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'q1', file: 'g' }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'q2', file: 'g' }],
    ]);
    expect(replies[2]).toEqual({
      error: {
        class: 'GenericError',
        desc: "Permission conflict on node 'g': permissions 'write, resize' are both required by node 'q1' (uses node 'g' as 'file' child) and unshared by node 'q2' (uses node 'g' as 'file' child).",
      },
    });
  });

  it('two backends on a mirror target', () => {
    const replies = run([
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'src', file: { driver: 'file', filename: '/i/g.qcow2' } }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'tgt', backing: null, file: { driver: 'file', filename: '/i/t.qcow2' } }],
      ['blockdev-mirror', { 'job-id': 'm', device: 'src', target: 'tgt', sync: 'full', speed: 1 }],
      ['nbd-server-start', { addr: { type: 'unix', data: { path: '/s' } } }],
      ['block-export-add', { type: 'nbd', id: 'e', 'node-name': 'tgt' }],
    ]);
    expect(replies[4]).toEqual({
      error: {
        class: 'GenericError',
        desc: "Permission conflict on node 'tgt': permissions 'consistent read' are both required by an unnamed block device (uses node 'tgt' as 'root' child) and unshared by an unnamed block device (uses node 'tgt' as 'root' child).",
      },
    });
  });

  it('when the new edge shares what the old one needs, the old one is "unshared by"', () => {
    const replies = run([
      ['blockdev-add', { driver: 'file', 'node-name': 'g', filename: '/i/g.qcow2', 'read-only': true }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'q1', file: 'g', 'read-only': true }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'g', 'read-only': true }],
      ['nbd-server-start', { addr: { type: 'unix', data: { path: '/s' } } }],
      ['block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r' }],
    ]);
    expect(replies.map((r) => ('error' in r ? r.error.desc : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});

describe('message table', () => {
  it('has QEMU 7.2 wording for every message the permission code gives', () => {
    expect(msg.nodeReadOnly()).toBe('Block node is read-only');
    expect(msg.readOnlyWithWriters('f0')).toBe("Read-only block node 'f0' cannot support read-write users");
    expect(msg.couldNotOpen('/a', 'Permission denied')).toBe("Could not open '/a': Permission denied");
    expect(msg.lockFailed('write')).toBe('Failed to get "write" lock');
    expect(msg.sharedLockFailed('resize')).toBe('Failed to get shared "resize" lock');
    expect(msg.forceShareReadWrite()).toBe('force-share=on can only be used with read-only images');
    expect(msg.exportReadOnlyWritable()).toBe('Cannot export read-only node as writable');
    expect(msg.wouldCreateCycle('q', 'backing', 'b')).toBe("Making 'q' a backing child of 'b' would create a cycle");
    expect(msg.nodeInUse('raw0')).toBe('Node raw0 is in use');
    expect(msg.blockDeviceInUse('f0')).toBe('Block device f0 is in use');
    expect(msg.notOwnedByMonitor('q0-file')).toBe('Node q0-file is not owned by the monitor');
    expect(msg.duplicateNode('f0')).toBe("Duplicate nodes with node-name='f0'");
    expect(msg.invalidNodeName('#bad')).toBe("Invalid node-name: '#bad'");
    expect(msg.nbdExportNameInUse('raw0')).toBe("NBD server already has export named 'raw0'");
    expect(msg.exportIdInUse('e1')).toBe("Block export id 'e1' is already in use");
    expect(msg.exportNotFound('nosuch')).toBe("Export 'nosuch' is not found");
    expect(msg.cannotChangeOption('filename')).toBe("Cannot change the option 'filename'");
  });
});
