/** The dynamic model's promise, on virtual storage: read-only follows the writers on every node. */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, openFiles, type Permgraph } from '../src/index.js';

const IMAGE = '/images/disk.qcow2';

function chain(writable: boolean): Permgraph {
  const storage = createVirtualStorage({ [IMAGE]: { format: 'qcow2', writable } });
  const pg = createPermgraph({ model: 'dynamic', storage });
  const ok = (execute: string, args: Record<string, unknown>) => expect(pg.execute({ execute, arguments: args })).toEqual({ return: {} });
  ok('blockdev-add', { driver: 'file', 'node-name': 'disk-file', filename: IMAGE, 'auto-read-only': true });
  ok('blockdev-add', { driver: 'qcow2', 'node-name': 'disk', file: 'disk-file', 'auto-read-only': true });
  ok('nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/nbd.sock' } } });
  return pg;
}

const roOf = (pg: Permgraph): Record<string, boolean> => {
  const reply = pg.execute({ execute: 'query-named-block-nodes' }) as { return: { 'node-name': string; ro: boolean }[] };
  return Object.fromEntries(reply.return.map((n) => [n['node-name'], n.ro]));
};

describe('file <- qcow2, both auto-read-only, model dynamic', () => {
  it('is read-only with the file open O_RDONLY while nothing writes', () => {
    const pg = chain(true);
    expect(roOf(pg)).toEqual({ disk: true, 'disk-file': true });
    expect(openFiles(pg.graph)).toEqual([
      { path: IMAGE, mode: 'O_RDONLY', locks: ['perm:consistent-read', 'unshared:resize', 'unshared:write'] },
    ]);
  });

  it('reopens both read-write for a writable export and drops back when it goes', () => {
    const pg = chain(true);
    const machine: string[] = [];
    pg.events$.subscribe((e) => {
      if (e.type === 'reopen.done') machine.push(`${e.node} ${e.direction}`);
    });
    expect(pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e1', 'node-name': 'disk', writable: true } })).toEqual({ return: {} });
    expect(roOf(pg)).toEqual({ disk: false, 'disk-file': false });
    expect(openFiles(pg.graph)[0]?.mode).toBe('O_RDWR');
    expect(pg.execute({ execute: 'block-export-del', arguments: { id: 'e1' } })).toEqual({ return: {} });
    expect(roOf(pg)).toEqual({ disk: true, 'disk-file': true });
    expect(openFiles(pg.graph)[0]?.mode).toBe('O_RDONLY');
    expect(machine).toEqual(['disk read-write', 'disk-file read-write', 'disk read-only', 'disk-file read-only']);
  });

  it('a read-only export leaves them read-only', () => {
    const pg = chain(true);
    pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e1', 'node-name': 'disk' } });
    expect(roOf(pg)).toEqual({ disk: true, 'disk-file': true });
  });

  it('on read-only storage the writable export fails naming the node and the file, and nothing changes', () => {
    const pg = chain(false);
    const before = pg.graph;
    const reply = pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e1', 'node-name': 'disk', writable: true } });
    expect(reply).toEqual({
      error: {
        class: 'GenericError',
        desc: `Cannot reopen node 'disk-file' read-write for a writer: could not open '${IMAGE}': Permission denied`,
      },
    });
    expect(pg.graph).toBe(before);
    expect(structuredClone(pg.graph)).toEqual(structuredClone(before));
    expect(roOf(pg)).toEqual({ disk: true, 'disk-file': true });
  });

  it('the same chain in qemu-7.2: ro never changes, only the file descriptor follows', () => {
    const storage = createVirtualStorage({ [IMAGE]: { format: 'qcow2' } });
    const pg = createPermgraph({ model: 'qemu-7.2', storage });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'disk-file', filename: IMAGE, 'auto-read-only': true } });
    expect(openFiles(pg.graph)[0]?.mode).toBe('O_RDONLY');
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'disk', file: 'disk-file', 'auto-read-only': true } });
    expect(roOf(pg)).toEqual({ disk: false, 'disk-file': false });
    expect(openFiles(pg.graph)[0]?.mode).toBe('O_RDWR');
  });
});
