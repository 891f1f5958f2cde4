/**
 * A backing chain 5,000 images deep, opened from the images' headers in one blockdev-add and
 * built node by node with blockdev-add: every walk over it (opening, reopening, heights, queries,
 * closing, jobs, resizing) is a loop, not a recursion, so none overflows the stack.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Model, type QmpReply, type VirtualFile } from '../src/index.js';
import { getEdge, getNode, jobsInOrder, nodeCount } from '../src/graph/graph.js';
import type { Graph } from '../src/graph/types.js';

const DEPTH = 5_000;

function files(): Record<string, VirtualFile> {
  const out: Record<string, VirtualFile> = { '/d/overlay.qcow2': { format: 'qcow2', size: 1 << 20 }, '/d/base.qcow2': { format: 'qcow2', size: 1 << 20 } };
  for (let i = 0; i < DEPTH; i++) {
    out[`/d/i${i}.qcow2`] = { format: 'qcow2', size: 1 << 20, ...(i > 0 ? { backingFile: `/d/i${i - 1}.qcow2`, backingFormat: 'qcow2' } : {}) };
  }
  return out;
}

function runtime(model: Model) {
  const pg = createPermgraph({ model, storage: createVirtualStorage(files()), nodeActors: false });
  const run = (execute: string, args?: Record<string, unknown>): QmpReply => pg.execute(args ? { execute, arguments: args } : { execute });
  return { pg, run };
}

const ok = { return: {} };

function child(graph: Graph, parent: string, name: string): string | undefined {
  return getNode(graph, parent)
    ?.children.map((id) => getEdge(graph, id)!)
    .find((e) => e.name === name)?.child;
}

/** The nodes down the backing chain from `top`, `top` first. */
function chainOf(graph: Graph, top: string): string[] {
  const out: string[] = [];
  for (let at: string | undefined = top; at !== undefined; at = child(graph, at, 'backing')) out.push(at);
  return out;
}

describe(`a backing chain ${DEPTH} images deep`, () => {
  it('opened from the headers: queried, exported, reopened, snapshotted, streamed and closed', () => {
    const { pg, run } = runtime('dynamic');
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'top', 'auto-read-only': true, file: { driver: 'file', filename: `/d/i${DEPTH - 1}.qcow2`, 'auto-read-only': true } })).toEqual(ok);
    const chain = chainOf(pg.graph, 'top');
    expect(chain).toHaveLength(DEPTH);
    expect(getNode(pg.graph, 'top')!.height).toBe(DEPTH);

    const nodes = run('query-named-block-nodes') as { return: { 'node-name': string; backing_file_depth: number }[] };
    expect(nodes.return).toHaveLength(2 * DEPTH);
    expect(nodes.return.find((n) => n['node-name'] === 'top')!.backing_file_depth).toBe(DEPTH - 1);
    expect(run('x-debug-query-block-graph')).toMatchObject({ return: { nodes: expect.any(Array) } });

    expect(run('nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/deep.sock' } } })).toEqual(ok);
    expect(run('block-export-add', { type: 'nbd', id: 'e0', 'node-name': 'top', writable: true })).toEqual(ok);
    expect(getNode(pg.graph, 'top')!.readOnly).toBe(false);
    expect(run('block-export-del', { id: 'e0' })).toEqual(ok);

    // the references name the current children: the whole chain is reopened with its old options
    const file = child(pg.graph, 'top', 'file')!;
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'top', file, backing: chain[1], 'auto-read-only': true }] })).toEqual(ok);

    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'ov', file: { driver: 'file', filename: '/d/overlay.qcow2' }, backing: null })).toEqual(ok);
    expect(run('blockdev-snapshot', { node: 'top', overlay: 'ov' })).toEqual(ok);
    expect(getNode(pg.graph, 'ov')!.height).toBe(DEPTH + 1);

    expect(run('block-stream', { device: 'ov', 'job-id': 's', 'auto-dismiss': false })).toEqual(ok);
    pg.advance(1);
    expect(jobsInOrder(pg.graph).map((j) => j.status)).toEqual(['concluded']);
    expect(run('job-dismiss', { id: 's' })).toEqual(ok);
    expect(chainOf(pg.graph, 'ov')).toEqual(['ov']);
    // the stream let go of the whole chain below the overlay, which was the monitor's only at its top
    expect(run('blockdev-del', { 'node-name': 'top' })).toEqual(ok);
    expect(nodeCount(pg.graph)).toBe(2);
  });

  it('built node by node: a base put under the bottom raises every height, a commit runs over the chain', () => {
    const { pg, run } = runtime('qemu-7.2');
    for (let i = 0; i < DEPTH; i++) {
      const reply = run('blockdev-add', { driver: 'qcow2', 'node-name': `q${i}`, file: { driver: 'file', filename: `/d/i${i}.qcow2` }, backing: i > 0 ? `q${i - 1}` : null });
      if ('error' in reply) throw new Error(`q${i}: ${reply.error.desc}`);
    }
    const top = `q${DEPTH - 1}`;
    expect(getNode(pg.graph, top)!.height).toBe(DEPTH);
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': 'base', file: { driver: 'file', filename: '/d/base.qcow2' }, backing: null })).toEqual(ok);
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'q0', file: child(pg.graph, 'q0', 'file'), backing: 'base' }] })).toEqual(ok);
    expect(getNode(pg.graph, top)!.height).toBe(DEPTH + 1);

    const nodes = run('query-named-block-nodes') as { return: { 'node-name': string; backing_file_depth: number }[] };
    expect(nodes.return.find((n) => n['node-name'] === top)!.backing_file_depth).toBe(DEPTH);

    expect(run('block_resize', { 'node-name': top, size: 1 << 21 })).toEqual(ok);
    expect(run('nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/deep.sock' } } })).toEqual(ok);
    expect(run('block-export-add', { type: 'nbd', id: 'e0', 'node-name': top, writable: true })).toEqual(ok);
    expect(run('block-commit', { device: top, 'base-node': 'base', 'job-id': 'c', 'auto-dismiss': false })).toEqual(ok);
    pg.advance(1);
    expect(run('job-complete', { id: 'c' })).toEqual(ok);
    expect(run('job-dismiss', { id: 'c' })).toEqual(ok);
    // the export now writes to the base, which took the top's place
    expect(run('query-block-exports')).toEqual({ return: [{ id: 'e0', type: 'nbd', 'node-name': 'base', 'shutting-down': false }] });
    expect(run('block-export-del', { id: 'e0' })).toEqual(ok);

    // the base back out from under the chain: every height falls again
    expect(run('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'q0', file: child(pg.graph, 'q0', 'file'), backing: null }] })).toEqual(ok);
    expect(getNode(pg.graph, 'q1')!.height).toBe(2);
  });
});
