/**
 * blockdev-reopen's checks of a new `backing` or `file` link, in qemu-storage-daemon 7.2's order
 * (block.c: bdrv_reopen_prepare(), bdrv_reopen_parse_file_or_backing(),
 * bdrv_set_file_or_backing_noperm()), and the nodes it reopens besides the one named. Every reply
 * below is the daemon's, for the same commands over images made by qemu-img.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Model, type QmpReply } from '../src/index.js';
import { getEdge, getNode } from '../src/graph/graph.js';
import type { Graph } from '../src/graph/types.js';
import { err, ok } from './support/replies.js';

/**
 * mid holds a cluster in each 512 KiB step of 8 MiB: QEMU 7.2 wakes a throttled commit whenever
 * a reopen drains its nodes, refused or not, and the commit copies one step each time
 * (src/jobs/throttle-wake.ts), so it has steps enough to stay running through the reopens below.
 */
const FILES = {
  '/i/base.qcow2': { format: 'qcow2' as const, size: 8 << 20 },
  '/i/mid.qcow2': { format: 'qcow2' as const, size: 8 << 20, backingFile: '/i/base.qcow2', backingFormat: 'qcow2', clusters: Array.from({ length: 16 }, (_, i) => i * 8) },
  '/i/top.qcow2': { format: 'qcow2' as const, size: 8 << 20, backingFile: '/i/mid.qcow2', backingFormat: 'qcow2', clusters: [0] },
  '/i/ov.qcow2': { format: 'qcow2' as const, size: 8 << 20 },
};


function runtime(model: Model) {
  const pg = createPermgraph({ model, storage: createVirtualStorage(FILES), nodeActors: false });
  const run = (execute: string, args?: Record<string, unknown>): QmpReply => pg.execute(args ? { execute, arguments: args } : { execute });
  return { pg, run };
}

function child(graph: Graph, parent: string, name: string): string {
  const edge = getNode(graph, parent)?.children.map((id) => getEdge(graph, id)!).find((e) => e.name === name);
  if (!edge) throw new Error(`'${parent}' has no ${name} child`);
  return edge.child;
}

/** base <- mid <- top, every node named, each over an inline file node. */
function chain(run: ReturnType<typeof runtime>['run']): void {
  expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'base', file: { driver: 'file', filename: '/i/base.qcow2' }, backing: null })).toEqual(ok);
  expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'mid', file: { driver: 'file', filename: '/i/mid.qcow2' }, backing: 'base' })).toEqual(ok);
  expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: '/i/top.qcow2' }, backing: 'mid' })).toEqual(ok);
}

describe.each(['dynamic', 'qemu-7.2'] as Model[])('model %s', (model) => {
  it('a commit freezes the links from its filter down to the base; a cycle is refused before that', () => {
    const { pg, run } = runtime(model);
    chain(run);
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': 'nul' })).toEqual(ok);
    expect(run('blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'nul' })).toEqual(ok);
    expect(run('block-commit', { device: 'top', 'top-node': 'mid', 'base-node': 'base', 'job-id': 'j', speed: 1 })).toEqual(ok);
    const midFile = child(pg.graph, 'mid', 'file');
    const reopenMid = (backing: string | null, readOnly = false) =>
      run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'mid', file: midFile, backing, 'read-only': readOnly }] });
    expect(reopenMid(null)).toEqual(err("Cannot change frozen 'backing' link from 'mid' to 'base'"));
    expect(reopenMid('nul')).toEqual(err("Cannot change frozen 'backing' link from 'mid' to 'base'"));
    expect(reopenMid('top')).toEqual(err("Making 'top' a backing child of 'mid' would create a cycle"));
    expect(reopenMid('mid')).toEqual(err("Making 'mid' a backing child of 'mid' would create a cycle"));
    expect(reopenMid('base', true)).toEqual(ok);
    const topFile = child(pg.graph, 'top', 'file');
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'top', file: topFile, backing: 'top' }] })).toEqual(
      err("Making 'top' a backing child of 'top' would create a cycle"),
    );
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'top', file: topFile, backing: 'base' }] })).toEqual(
      err('Cannot replace implicit backing child of top'),
    );
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'r', file: 'nul', backing: 'r' }] })).toEqual(
      err("Making 'r' a backing child of 'r' would create a cycle"),
    );
    expect(run('blockdev-reopen', { options: [{ driver: 'raw', 'node-name': 'r', file: 'r' }] })).toEqual(err("Making 'r' a file child of 'r' would create a cycle"));
    const baseFile = child(pg.graph, 'base', 'file');
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'base', file: baseFile, backing: 'top' }] })).toEqual(
      err("Making 'top' a backing child of 'base' would create a cycle"),
    );
    // once the job is gone, the links are free again
    expect(run('block-job-cancel', { device: 'j', force: true })).toEqual(ok);
    expect(reopenMid(null, true)).toEqual(ok);
  });

  it('an active commit freezes them too, down to its base', () => {
    const { pg, run } = runtime(model);
    chain(run);
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'top2', file: { driver: 'file', filename: '/i/ov.qcow2' }, backing: 'top' })).toEqual(ok);
    expect(run('block-commit', { device: 'top2', 'base-node': 'mid', 'job-id': 'k', speed: 1 })).toEqual(ok);
    const topFile = child(pg.graph, 'top', 'file');
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'top', file: topFile, backing: null }] })).toEqual(
      err("Cannot change frozen 'backing' link from 'top' to 'mid'"),
    );
    // below the base nothing is frozen
    const midFile = child(pg.graph, 'mid', 'file');
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'mid', file: midFile, backing: null }] })).toEqual(ok);
  });

  it('copy-on-read nodes cannot be reopened', () => {
    const { run } = runtime(model);
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': 'n1' })).toEqual(ok);
    expect(run('blockdev-add', { driver: 'copy-on-read', 'node-name': 'c', file: 'n1' })).toEqual(ok);
    expect(run('blockdev-reopen', { options: [{ driver: 'copy-on-read', 'node-name': 'c', file: 'n1', 'read-only': true }] })).toEqual(
      err("Block format 'copy-on-read' used by node 'c' does not support reopening files"),
    );
  });

  it('a node of a generated name cannot be named in a reopen, nor given a name', () => {
    const { pg, run } = runtime(model);
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/i/mid.qcow2' } })).toEqual(ok);
    const file = child(pg.graph, 'q', 'file');
    const backing = child(pg.graph, 'q', 'backing');
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'q', file, backing }] })).toEqual(ok);
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': backing, file: child(pg.graph, backing, 'file'), backing: null }] })).toEqual(
      err("Cannot change the option 'node-name'"),
    );
    const inline = (extra: Record<string, unknown>) =>
      run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/i/mid.qcow2', ...extra }, backing }] });
    expect(inline({})).toEqual(ok);
    expect(inline({ 'node-name': file })).toEqual(err("Cannot change the option 'node-name'"));
    expect(inline({ 'node-name': 'zz' })).toEqual(err("Cannot change the option 'node-name'"));
  });

  it("an image whose header names a backing file needs `backing` on reopen, even opened without one", () => {
    const { pg, run } = runtime(model);
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/i/mid.qcow2' }, backing: null })).toEqual(ok);
    const file = child(pg.graph, 'q', 'file');
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'q', file }] })).toEqual(err("backing is missing for 'q'"));
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'q', file, backing: null }] })).toEqual(ok);
    // an image without one does not
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'b', file: { driver: 'file', filename: '/i/base.qcow2' } })).toEqual(ok);
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'b', file: child(pg.graph, 'b', 'file') }] })).toEqual(ok);
  });

  it('the chain below a node reopened by a job keeps its options: a snapshot of a header chain of three', () => {
    const { pg, run } = runtime(model);
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/i/top.qcow2' } })).toEqual(ok);
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'ov', file: { driver: 'file', filename: '/i/ov.qcow2' }, backing: null })).toEqual(ok);
    expect(run('blockdev-snapshot', { node: 'q', overlay: 'ov' })).toEqual(ok);
    expect(child(pg.graph, 'ov', 'backing')).toBe('q');
    expect(getNode(pg.graph, 'q')!.readOnly).toBe(true);
    expect(getNode(pg.graph, 'ov')!.readOnly).toBe(false);
  });
});
