/**
 * Block jobs against the graphs QEMU 7.2 showed (spec Appendix A): chain base <- mid <- top of
 * qcow2 nodes with inline file children, top exported writable, each job at speed 1.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, permLetters, type Permgraph } from '../src/index.js';
import { allEdges, getNode, parentLabel } from '../src/graph/graph.js';

const files = {
  '/i/base.qcow2': { format: 'qcow2' as const },
  '/i/mid.qcow2': { format: 'qcow2' as const, backingFile: '/i/base.qcow2', clusters: [0] },
  '/i/top.qcow2': { format: 'qcow2' as const, backingFile: '/i/mid.qcow2', clusters: [0] },
  '/i/tgt.qcow2': { format: 'qcow2' as const },
};

function chain(model: 'qemu-7.2' | 'dynamic' = 'qemu-7.2'): Permgraph {
  const pg = createPermgraph({ model, storage: createVirtualStorage(files) });
  const ok = (execute: string, args: Record<string, unknown>) =>
    expect(pg.execute({ execute, arguments: args }), execute).toEqual({ return: {} });
  const qcow2 = (name: string, extra: Record<string, unknown>) => ({
    driver: 'qcow2', 'node-name': name, file: { driver: 'file', 'node-name': `${name}-file`, filename: `/i/${name}.qcow2` }, ...extra,
  });
  ok('blockdev-add', qcow2('base', { 'read-only': true, backing: null }));
  ok('blockdev-add', qcow2('mid', { 'read-only': true, backing: 'base' }));
  ok('blockdev-add', qcow2('top', { backing: 'mid' }));
  ok('nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/n' } } });
  ok('block-export-add', { type: 'nbd', id: 'e1', 'node-name': 'top', writable: true });
  return pg;
}

/** The edges as Appendix A writes them; job filters (implicit, or named by permgraph: backup's) as <filter>, backends as BB. */
function edges(pg: Permgraph): string[] {
  const g = pg.graph;
  const label = (name: string) => (getNode(g, name)?.implicit || getNode(g, name)?.generated ? '<filter>' : name);
  return allEdges(g)
    .map((e) => {
      const parent = e.parent.kind === 'node' ? label(e.parent.node) : e.parent.kind === 'job' ? `job:${e.parent.job}` : parentLabel(g, e.parent).startsWith('export') ? 'export' : 'BB';
      return `${parent} -[${e.name}]-> ${label(e.child)} ${permLetters(e.perm)}/${permLetters(e.shared)}`;
    })
    .sort();
}

const CHAIN = [
  'base -[file]-> base-file C/CU',
  'export -[root]-> top CW/CWU',
  'mid -[backing]-> base C/CWUR',
  'mid -[file]-> mid-file C/CU',
  'top -[backing]-> mid C/CWUR',
  'top -[file]-> top-file CWR/CU',
];

const ro = (pg: Permgraph) => Object.fromEntries(['top', 'mid', 'base', 'base-file'].map((n) => [n, getNode(pg.graph, n)?.readOnly]));

describe('jobs as QEMU 7.2 showed them', () => {
  it('the chain alone', () => {
    expect(edges(chain())).toEqual(CHAIN);
  });

  it('non-active commit', () => {
    const pg = chain();
    expect(pg.execute({ execute: 'block-commit', arguments: { 'job-id': 'j', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 1 } })).toEqual({ return: {} });
    expect(edges(pg)).toEqual([
      '<filter> -[backing]-> mid -/CWUR',
      'BB -[root]-> base CW/CU',
      'BB -[root]-> mid -/CWUR',
      'base -[file]-> base-file CWR/CU',
      'export -[root]-> top CW/CWU',
      'job:j -[base]-> base -/CWUR',
      'job:j -[intermediate node]-> mid -/WU',
      'job:j -[main node]-> top -/CWUR',
      'mid -[backing]-> base -/CWUR',
      'mid -[file]-> mid-file C/U',
      'top -[backing]-> <filter> C/CWUR',
      'top -[file]-> top-file CWR/CU',
    ]);
    expect(ro(pg)).toEqual({ top: false, mid: true, base: false, 'base-file': false });
    pg.execute({ execute: 'block-job-cancel', arguments: { device: 'j' } });
    expect(edges(pg)).toEqual(CHAIN);
    expect(ro(pg)).toEqual({ top: false, mid: true, base: true, 'base-file': true });
  });

  it('active commit, and the base left read-write after cancel', () => {
    const pg = chain();
    expect(pg.execute({ execute: 'block-commit', arguments: { 'job-id': 'j', device: 'top', 'base-node': 'base', speed: 1 } })).toEqual({ return: {} });
    expect(edges(pg)).toEqual([
      '<filter> -[backing]-> top W/CWU',
      'BB -[root]-> base W/CWU',
      'base -[file]-> base-file CWR/CU',
      'export -[root]-> <filter> CW/CWU',
      'job:j -[intermediate node]-> mid -/WU',
      'job:j -[main node]-> <filter> C/CWU',
      'job:j -[source]-> top -/CWU',
      'job:j -[target]-> base -/CWUR',
      'mid -[backing]-> base -/CWUR',
      'mid -[file]-> mid-file C/U',
      'top -[backing]-> mid -/CWUR',
      'top -[file]-> top-file CWR/CU',
    ]);
    pg.execute({ execute: 'block-job-cancel', arguments: { device: 'j', force: true } });
    expect(ro(pg)).toEqual({ top: false, mid: true, base: false, 'base-file': false });
    expect(edges(pg)).toContain('base -[file]-> base-file CWR/CU');
  });

  it('stream', () => {
    const pg = chain();
    expect(pg.execute({ execute: 'block-stream', arguments: { 'job-id': 'j', device: 'top', 'base-node': 'base', speed: 1 } })).toEqual({ return: {} });
    expect(edges(pg)).toEqual([
      '<filter> -[file]-> top CWU/CWU',
      'BB -[root]-> <filter> C/CWU',
      'base -[file]-> base-file C/CU',
      'export -[root]-> <filter> CW/CWU',
      'job:j -[active node]-> top -/CWU',
      'job:j -[intermediate node]-> mid -/CU',
      'job:j -[main node]-> <filter> -/CWUR',
      'mid -[backing]-> base C/CU',
      'mid -[file]-> mid-file C/CU',
      'top -[backing]-> mid C/CWUR',
      'top -[file]-> top-file CWUR/CU',
    ]);
  });

  it('mirror', () => {
    const pg = chain();
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'tgt', backing: null, file: { driver: 'file', 'node-name': 'tgt-file', filename: '/i/tgt.qcow2' } } });
    expect(pg.execute({ execute: 'blockdev-mirror', arguments: { 'job-id': 'j', device: 'top', target: 'tgt', sync: 'full', speed: 1 } })).toEqual({ return: {} });
    expect(edges(pg)).toEqual([
      '<filter> -[backing]-> top CW/CWU',
      'BB -[root]-> tgt W/U',
      'base -[file]-> base-file C/CU',
      'export -[root]-> <filter> CW/CWU',
      'job:j -[main node]-> <filter> C/CWU',
      'job:j -[source]-> top -/CWU',
      'job:j -[target]-> tgt -/CWUR',
      'mid -[backing]-> base C/CWUR',
      'mid -[file]-> mid-file C/CU',
      'tgt -[file]-> tgt-file CWR/U',
      'top -[backing]-> mid C/CWUR',
      'top -[file]-> top-file CWR/CU',
    ]);
  });

  it('backup', () => {
    const pg = chain();
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'tgt', backing: null, file: { driver: 'file', 'node-name': 'tgt-file', filename: '/i/tgt.qcow2' } } });
    expect(pg.execute({ execute: 'blockdev-backup', arguments: { 'job-id': 'j', device: 'top', target: 'tgt', sync: 'full', speed: 1 } })).toEqual({ return: {} });
    expect(edges(pg)).toEqual([
      '<filter> -[file]-> top CW/CU',
      '<filter> -[target]-> tgt W/CWU',
      'base -[file]-> base-file C/CU',
      'export -[root]-> <filter> CW/CWU',
      'job:j -[main node]-> <filter> -/CWUR',
      'job:j -[target]-> tgt -/CWUR',
      'mid -[backing]-> base C/CU',
      'mid -[file]-> mid-file C/CU',
      'tgt -[file]-> tgt-file CWR/CU',
      'top -[backing]-> mid C/CU',
      'top -[file]-> top-file CWR/CU',
    ]);
    pg.execute({ execute: 'block-job-cancel', arguments: { device: 'j' } });
    expect(edges(pg)).toEqual([...CHAIN, 'tgt -[file]-> tgt-file CWR/CU'].sort());
  });

  it('a refused stream leaks its backend in qemu-7.2 (and not in dynamic)', () => {
    for (const model of ['qemu-7.2', 'dynamic'] as const) {
      const pg = chain(model);
      expect(pg.execute({ execute: 'blockdev-reopen', arguments: { options: [{ driver: 'qcow2', 'node-name': 'mid', backing: 'base', file: { driver: 'file', filename: '/i/mid.qcow2' } }] } })).toEqual({ return: {} });
      pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'e2', 'node-name': 'mid', writable: true, name: 'm' } });
      const reply = pg.execute({ execute: 'block-stream', arguments: { 'job-id': 'j3', device: 'top', 'base-node': 'base' } });
      expect(reply).toEqual({
        error: {
          class: 'GenericError',
          desc: "Permission conflict on node 'mid': permissions 'write' are both required by an unnamed block device (uses node 'mid' as 'root' child) and unshared by stream job 'j3' (uses node 'mid' as 'intermediate node' child).",
        },
      });
      const leaked = edges(pg).includes('BB -[root]-> top C/CWU');
      expect(leaked).toBe(model === 'qemu-7.2');
      expect(pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'top' } })).toEqual({
        error: { class: 'GenericError', desc: 'Node top is in use' },
      });
    }
  });

  it('verbs in the wrong state get QEMU\'s text', () => {
    const pg = chain();
    pg.execute({ execute: 'block-commit', arguments: { 'job-id': 'j', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 1 } });
    expect(pg.execute({ execute: 'block-job-complete', arguments: { device: 'j' } })).toEqual({
      error: { class: 'GenericError', desc: "Job 'j' in state 'running' cannot accept command verb 'complete'" },
    });
    expect(pg.execute({ execute: 'job-finalize', arguments: { id: 'j' } })).toEqual({
      error: { class: 'GenericError', desc: "Job 'j' in state 'running' cannot accept command verb 'finalize'" },
    });
    expect(pg.execute({ execute: 'block-job-pause', arguments: { device: 'nope' } })).toEqual({
      error: { class: 'DeviceNotActive', desc: "Block job 'nope' not found" },
    });
    expect(pg.execute({ execute: 'job-pause', arguments: { id: 'nope' } })).toEqual({ error: { class: 'GenericError', desc: 'Job not found' } });
    expect(pg.execute({ execute: 'block-commit', arguments: { device: 'top', speed: 1 } })).toEqual({
      error: { class: 'GenericError', desc: 'Need a root block node' },
    });
    expect(pg.execute({ execute: 'block-stream', arguments: { 'job-id': 's', device: 'top' } })).toEqual({
      error: { class: 'GenericError', desc: "Node 'top' is busy: block device is in use by block job: commit" },
    });
  });
});

describe('a job that fails while being created', () => {
  it('is announced as created and then gone, as QEMU 7.2 does, and changes nothing', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(files) });
    const ok = (execute: string, args: Record<string, unknown>) => expect(pg.execute({ execute, arguments: args })).toEqual({ return: {} });
    ok('blockdev-add', { driver: 'file', 'node-name': 'base-file', filename: '/i/base.qcow2', 'read-only': true });
    ok('blockdev-add', { driver: 'qcow2', 'node-name': 'base', file: 'base-file', 'read-only': true, backing: null });
    ok('blockdev-add', { driver: 'qcow2', 'node-name': 'mid', 'read-only': true, backing: 'base', file: { driver: 'file', filename: '/i/mid.qcow2' } });
    ok('blockdev-add', { driver: 'qcow2', 'node-name': 'top', backing: 'mid', file: { driver: 'file', filename: '/i/top.qcow2' } });
    const before = pg.graph;
    const events: unknown[] = [];
    pg.events$.subscribe((e) => e.type === 'qmp.event' && events.push(e.data));
    expect(pg.execute({ execute: 'block-commit', arguments: { 'job-id': 'c1', device: 'top', 'top-node': 'mid', 'base-node': 'base' } })).toEqual({
      error: { class: 'GenericError', desc: 'Block node is read-only' },
    });
    expect(events).toEqual([{ id: 'c1', status: 'created' }, { id: 'c1', status: 'null' }]);
    expect(pg.graph).toBe(before);
  });
});
