/**
 * QEMU 10.0's inactive nodes in model qemu-10.0: the `active` option, blockdev-set-active,
 * allow-inactive exports, and what an inactive node asks and refuses. The expectations are what
 * qemu-storage-daemon 10.0.2 answered to the same commands; models qemu-7.2 and dynamic know
 * none of it.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, xdbgBlockGraph } from '../src/index.js';
import { checkSnapshot, checkStep, type Violation } from '../src/invariants/index.js';
import { permFromQmpList, permLetters } from '../src/perms/perm.js';
import type { Model } from '../machines/node.types.js';

const FILES = {
  '/i/a.qcow2': { format: 'qcow2' as const },
  '/i/base.qcow2': { format: 'qcow2' as const },
  '/i/top.qcow2': { format: 'qcow2' as const, backingFile: '/i/base.qcow2', backingFormat: 'qcow2' },
  '/i/r.img': { format: 'raw' as const, size: 1 << 20 },
  '/i/s.img': { format: 'raw' as const, size: 1 << 20 },
};
const NBD = { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } };
const ok = { return: {} };
const error = (desc: string) => ({ error: { class: 'GenericError', desc } });

/** A graph of `model` with a QMP helper, the edges in short notation and the nodes' `active`. */
function session(model: Model = 'qemu-10.0') {
  const pg = createPermgraph({ model, storage: createVirtualStorage(FILES) });
  const violations: Violation[] = [];
  const qmp = (execute: string, args?: Record<string, unknown>) => {
    const before = pg.graph;
    const reply = pg.execute({ execute, ...(args ? { arguments: args } : {}) });
    violations.push(...checkStep(before, pg.graph, { command: execute, reply }).filter((v) => !v.quirk));
    return reply;
  };
  const edges = () => {
    const g = xdbgBlockGraph(pg.graph);
    const names = new Map(g.nodes.map((n) => [n.id, n.name || n.type]));
    const l = (list: unknown) => permLetters(permFromQmpList(list as string[]));
    return g.edges.map((e) => `${names.get(e['parent'] as number)} -[${String(e['name'])}]-> ${names.get(e['child'] as number)} ${l(e['perm'])}/${l(e['shared-perm'])}`).sort();
  };
  const nodes = () => (qmp('query-named-block-nodes', { flat: true }) as { return: Record<string, unknown>[] }).return;
  const active = () => Object.fromEntries(nodes().map((n) => [n['node-name'], n['active']]));
  return { pg, qmp, edges, nodes, active, violations };
}

const qcow2Inactive = { driver: 'qcow2', 'node-name': 'a', active: false, file: { driver: 'file', 'node-name': 'a-file', filename: '/i/a.qcow2' } };

describe('the active option', () => {
  it('is unknown to models qemu-7.2 and dynamic, as are blockdev-set-active and allow-inactive', () => {
    for (const model of ['qemu-7.2', 'dynamic'] as const) {
      const { qmp, nodes } = session(model);
      expect(qmp('blockdev-add', qcow2Inactive)).toEqual(error("Parameter 'active' is unexpected"));
      expect(qmp('blockdev-set-active', { active: true })).toEqual({ error: { class: 'CommandNotFound', desc: "The command blockdev-set-active has not been found" } });
      expect(qmp('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/r.img' })).toEqual(ok);
      expect(qmp('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'f', 'allow-inactive': true })).toEqual(error("Parameter 'allow-inactive' is unexpected"));
      expect(nodes()[0]).not.toHaveProperty('active');
      expect(nodes()[0]!['image']).not.toHaveProperty('format-specific');
    }
  });

  it('makes the node inactive, not its file child; a qcow2 over it takes only consistent read', () => {
    const { qmp, edges, active, nodes, violations } = session();
    expect(qmp('blockdev-add', qcow2Inactive)).toEqual(ok);
    expect(active()).toEqual({ a: false, 'a-file': true });
    expect(edges()).toEqual(['a -[file]-> a-file C/CWUR']);
    // BlockDeviceInfo's order: after backing_file_depth; a file node's image is format-specific
    const [qcow2, file] = nodes();
    expect(Object.keys(qcow2!).slice(4, 7)).toEqual(['backing_file_depth', 'active', 'encrypted']);
    expect(file!['image']).toMatchObject({ 'format-specific': { type: 'file', data: {} } });
    // an inactive qcow2 node still reports its header (as QEMU 10.0 does: inactive-open's recording)
    expect(qcow2!['image']).toMatchObject({ 'format-specific': { type: 'qcow2' } });
    expect(violations).toEqual([]);
  });

  it('is inherited by a backing the node opens, and by that backing\'s file', () => {
    const { qmp, edges, active } = session();
    expect(qmp('blockdev-add', { driver: 'qcow2', 'node-name': 't', active: false, file: { driver: 'file', 'node-name': 't-file', filename: '/i/top.qcow2' } })).toEqual(ok);
    const inactive = Object.entries(active()).filter(([, a]) => !a).map(([n]) => n);
    expect(inactive).toHaveLength(3);
    expect(active()['t-file']).toBe(true);
    expect(edges().filter((e) => e.startsWith('t -[backing]'))[0]).toMatch(/ -\/CWUR$/);
  });

  it('refuses an inactive node to an active parent, and any perm beyond consistent read', () => {
    const { qmp, edges } = session();
    qmp('blockdev-add', qcow2Inactive);
    expect(qmp('blockdev-add', { driver: 'raw', 'node-name': 'pa', file: 'a' })).toEqual(error("Inactive 'a' can't be a file child of active 'pa'"));
    expect(qmp('blockdev-add', { driver: 'raw', 'node-name': 'pi', file: 'a', active: false })).toEqual(ok);
    expect(qmp('block_resize', { 'node-name': 'a', size: 2 << 20 })).toEqual(error("Permission 'resize' unavailable on inactive node"));
    expect(edges()).toContain('pi -[file]-> a -/CWUR');
  });

  it('copy-on-read takes no write unchanged while inactive', () => {
    const { qmp, edges } = session();
    qmp('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/r.img' });
    qmp('blockdev-add', { driver: 'copy-on-read', 'node-name': 'cor', file: 'f', active: false });
    expect(edges()).toEqual(['cor -[file]-> f -/CWUR']);
    expect(qmp('blockdev-set-active', { 'node-name': 'cor', active: true })).toEqual(ok);
    expect(edges()).toEqual(['cor -[file]-> f U/CWUR']);
  });
});

describe('blockdev-set-active', () => {
  it('activates children first; inactivates what only inactive parents hold', () => {
    const { qmp, edges, active, violations } = session();
    qmp('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/a.qcow2' });
    qmp('blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'f', active: false });
    expect(qmp('blockdev-set-active', { 'node-name': 'f', active: false })).toEqual(ok);
    expect(qmp('blockdev-set-active', { 'node-name': 'q', active: true })).toEqual(ok);
    expect(active()).toEqual({ q: true, f: true });
    expect(edges()).toEqual(['q -[file]-> f CWR/CU']);
    expect(qmp('blockdev-set-active', { 'node-name': 'f', active: false })).toEqual(error('Node has active parent node'));
    expect(qmp('blockdev-set-active', { 'node-name': 'q', active: false })).toEqual(ok);
    expect(active()).toEqual({ q: false, f: false });
    expect(qmp('blockdev-set-active', { 'node-name': 'nope', active: true })).toEqual(error("Failed to find node with node-name='nope'"));
    expect(violations).toEqual([]);
  });

  it('is refused by a writable export; what it inactivated before stays inactive', () => {
    const { qmp, pg, active, violations } = session();
    qmp('nbd-server-start', NBD);
    qmp('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/r.img' });
    qmp('blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f' });
    qmp('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r', writable: true });
    const before = pg.graph;
    expect(qmp('blockdev-set-active', { 'node-name': 'r', active: false })).toEqual(error('Failed to inactivate node: Operation not permitted'));
    expect(qmp('blockdev-set-active', { active: false })).toEqual(error('Failed to inactivate all nodes: Operation not permitted'));
    expect(pg.graph).toBe(before);
    qmp('blockdev-add', { driver: 'file', 'node-name': 'g', filename: '/i/s.img' });
    qmp('blockdev-add', { driver: 'raw', 'node-name': 'rg', file: 'g' });
    qmp('block-export-add', { type: 'nbd', id: 'eg', 'node-name': 'g', name: 'g', writable: true });
    expect(qmp('blockdev-set-active', { 'node-name': 'rg', active: false })).toEqual(error('Failed to inactivate node: Operation not permitted'));
    expect(active()).toMatchObject({ rg: false, g: true });
    expect(violations).toEqual([]);
  });

  it("without a node walks bdrv_next(): the monitor's nodes only after the last BlockBackend root", () => {
    const { qmp, active } = session();
    qmp('blockdev-add', { driver: 'raw', 'node-name': 's', file: { driver: 'file', 'node-name': 'sf', filename: '/i/s.img' } });
    qmp('blockdev-add', { driver: 'raw', 'node-name': 'r', file: { driver: 'file', 'node-name': 'f', filename: '/i/r.img' } });
    qmp('nbd-server-start', NBD);
    qmp('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'f' });
    // the export's root f is no node of the monitor's: the walk ends there (QEMU 10.0.2 does so)
    expect(qmp('blockdev-set-active', { active: false })).toEqual(ok);
    expect(active()).toEqual({ r: true, f: true, s: true, sf: true });
    qmp('block-export-del', { id: 'e' });
    expect(qmp('blockdev-set-active', { active: false })).toEqual(ok);
    expect(active()).toEqual({ r: false, f: false, s: false, sf: false });
  });

  it('leaves a node inactive when its activation conflicts', () => {
    const { qmp, pg, edges } = session();
    qmp('nbd-server-start', NBD);
    qmp('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/a.qcow2' });
    qmp('blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f' });
    qmp('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r', writable: true });
    expect(qmp('blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'f', active: false })).toEqual(ok);
    expect(edges()).toContain('q -[file]-> f C/CWUR');
    const before = pg.graph;
    expect(qmp('blockdev-set-active', { 'node-name': 'q', active: true })).toEqual(
      error("Permission conflict on node 'f': permissions 'write' are both required by node 'r' (uses node 'f' as 'file' child) and unshared by node 'q' (uses node 'f' as 'file' child)."),
    );
    expect(pg.graph).toBe(before);
  });
});

describe('exports of inactive nodes', () => {
  it('without allow-inactive activate the node, even when the export then fails', () => {
    const { qmp, active } = session();
    qmp('blockdev-add', { driver: 'raw', 'node-name': 'r', active: false, file: { driver: 'file', 'node-name': 'f', filename: '/i/r.img', active: false } });
    expect(qmp('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r', writable: true })).toEqual(error('NBD server not running'));
    expect(active()).toEqual({ r: true, f: true });
  });

  it('with allow-inactive hold nothing until activation, and let the node be inactivated', () => {
    const { qmp, edges, violations } = session();
    qmp('nbd-server-start', NBD);
    qmp('blockdev-add', { driver: 'raw', 'node-name': 'r', active: false, file: { driver: 'file', 'node-name': 'f', filename: '/i/r.img', active: false } });
    expect(qmp('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r', writable: true, 'allow-inactive': true })).toEqual(ok);
    expect(edges()).toEqual(['block-backend -[root]-> r -/CWUR', 'r -[file]-> f -/CWUR']);
    expect(qmp('blockdev-set-active', { 'node-name': 'r', active: true })).toEqual(ok);
    expect(edges()).toEqual(['block-backend -[root]-> r CW/CWU', 'r -[file]-> f CW/CWU']);
    expect(qmp('blockdev-set-active', { 'node-name': 'r', active: false })).toEqual(ok);
    expect(edges()).toEqual(['block-backend -[root]-> r -/CWUR', 'r -[file]-> f -/CWUR']);
    expect(violations).toEqual([]);
  });
});

describe('blockdev-reopen and the active flag', () => {
  it("refuses to reopen a node whose options name 'active'; a reopen does not change the flag otherwise", () => {
    const { qmp, active } = session();
    qmp('blockdev-add', qcow2Inactive);
    expect(qmp('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'a', file: 'a-file', 'read-only': true }] })).toEqual(
      error("Option 'active' cannot be reset to its default value"),
    );
    qmp('blockdev-add', { driver: 'qcow2', 'node-name': 'b', file: { driver: 'file', 'node-name': 'b-file', filename: '/i/base.qcow2' } });
    expect(qmp('blockdev-set-active', { 'node-name': 'b', active: false })).toEqual(ok);
    expect(qmp('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'b', file: 'b-file' }] })).toEqual(ok);
    expect(qmp('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'b', file: 'b-file', active: true }] })).toEqual(ok);
    expect(active()).toMatchObject({ b: false, 'b-file': false });
    expect(qmp('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'b', file: 'b-file' }] })).toEqual(
      error("Option 'active' cannot be reset to its default value"),
    );
  });

  it('active=false inactivates the node and its inline children, keeping the perms of its refresh', () => {
    const { qmp, pg, edges, active } = session();
    qmp('blockdev-add', { driver: 'qcow2', 'node-name': 'a', file: { driver: 'file', 'node-name': 'a-file', filename: '/i/a.qcow2' } });
    expect(qmp('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'a', file: 'a-file', active: false }] })).toEqual(ok);
    expect(active()).toEqual({ a: false, 'a-file': false });
    expect(edges()).toEqual(['a -[file]-> a-file C/CU']);
    expect(checkSnapshot(pg.graph).filter((v) => !v.quirk)).toEqual([]);
  });
});

describe('blockdev-snapshot of an inactive node', () => {
  it('inactivates the active overlay first', () => {
    const { qmp, active } = session();
    qmp('blockdev-add', { driver: 'qcow2', 'node-name': 't', active: false, file: { driver: 'file', 'node-name': 't-file', filename: '/i/a.qcow2' } });
    qmp('blockdev-add', { driver: 'qcow2', 'node-name': 'ov', file: { driver: 'file', 'node-name': 'ov-file', filename: '/i/base.qcow2' } });
    expect(qmp('blockdev-snapshot', { node: 't', overlay: 'ov' })).toEqual(ok);
    expect(active()).toMatchObject({ ov: false, 'ov-file': false, t: false, 't-file': true });
  });
});
