/** The runtime shell: snapshots on graph$, typed events, node actors in step with the core. */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, getNode, type Graph, type GraphEvent } from '../src/index.js';

const files = { '/i/a.img': { format: 'raw' as const }, '/i/b.img': { format: 'raw' as const } };

describe('graph$ and events$', () => {
  it('emits a new snapshot per change; nodes a command did not touch keep their identity', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(files) });
    const snapshots: Graph[] = [];
    pg.graph$.subscribe((g) => snapshots.push(g));
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'a', filename: '/i/a.img' } });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'b', filename: '/i/b.img' } });
    pg.execute({ execute: 'query-named-block-nodes' });
    pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'nope' } });
    expect(snapshots).toHaveLength(3);
    expect(getNode(snapshots[2]!, 'a')).toBe(getNode(snapshots[1]!, 'a'));
    expect(Object.isFrozen(getNode(snapshots[2]!, 'a'))).toBe(true);
  });

  it('publishes typed events in order', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(files) });
    const events: GraphEvent[] = [];
    pg.events$.subscribe((e) => events.push(e));
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'a', filename: '/i/a.img', 'auto-read-only': true } });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'r', file: 'a' } });
    pg.execute({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/s' } } } });
    pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e', 'node-name': 'r', writable: true } });
    pg.execute({ execute: 'block-export-del', arguments: { id: 'e' } });
    pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'a' } });
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['node.added', 'node.machine', 'node.added', 'node.machine']);
    expect(events.filter((e) => e.type === 'reopen.done')).toEqual([
      { type: 'reopen.done', node: 'a', direction: 'read-write' },
      { type: 'reopen.done', node: 'a', direction: 'read-only' },
    ]);
    expect(events).toContainEqual({ type: 'qmp.event', event: 'BLOCK_EXPORT_DELETED', data: { id: 'e' } });
    expect(events.at(-1)).toEqual({
      type: 'command.rejected',
      command: 'blockdev-del',
      error: { class: 'GenericError', desc: 'Block device a is in use' },
    });
    expect(events.filter((e) => e.type === 'perms.changed').map((e) => e.type === 'perms.changed' && [e.parent, e.child, e.perm, e.shared])).toEqual([
      ['r', 'a', 1 | 2, 15], // the export's backend attached with shared ALL…
      ['export e', 'r', 1 | 2, 7], // …then NBD takes resize out of shared
      ['r', 'a', 1 | 2, 7],
      ['r', 'a', 0, 15], // the export went
    ]);
  });
});

describe('node actors', () => {
  it('one actor per live node, in the same state as the core says', () => {
    const pg = createPermgraph({ model: 'dynamic', storage: createVirtualStorage(files) });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'a', filename: '/i/a.img', 'auto-read-only': true } });
    pg.execute({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/s' } } } });
    pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e', 'node-name': 'a', writable: true } });
    expect(pg.nodeActor('a')?.getSnapshot().value).toBe('active');
    expect(getNode(pg.graph, 'a')?.machine.value).toBe('active');
    pg.execute({ execute: 'block-export-del', arguments: { id: 'e' } });
    expect(pg.nodeActor('a')?.getSnapshot().value).toBe('idle');
    expect(getNode(pg.graph, 'a')?.machine.value).toBe('idle');
  });

  it('10,000 nodes added and removed leave no actor behind', () => {
    const pg = createPermgraph({ model: 'dynamic', storage: createVirtualStorage() });
    for (let i = 0; i < 10_000; i++) {
      pg.execute({ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': `n${i}` } });
    }
    expect(pg.nodeActorCount).toBe(10_000);
    for (let i = 0; i < 10_000; i++) pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': `n${i}` } });
    expect(pg.nodeActorCount).toBe(0);
  });
});

describe('lazy node actors', () => {
  it('makes an actor only for a node asked about, in its current state, and keeps it in step', () => {
    const pg = createPermgraph({ model: 'dynamic', storage: createVirtualStorage(files), nodeActors: 'lazy' });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'a', filename: '/i/a.img', 'auto-read-only': true } });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'b', filename: '/i/b.img' } });
    expect(pg.nodeActorCount).toBe(0);
    expect(pg.nodeActor('a')?.getSnapshot().value).toBe('idle');
    expect(pg.nodeActorCount).toBe(1);
    pg.execute({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/s' } } } });
    pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e', 'node-name': 'a', writable: true } });
    expect(pg.nodeActor('a')?.getSnapshot().value).toBe('active');
    expect(pg.nodeActor('nope')).toBeUndefined();
  });
});
