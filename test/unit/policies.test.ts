/**
 * The drivers' own .bdrv_child_perm rules (spec §3.5, "Driver-specific callbacks (7.2)") over
 * every parent perm × shared, and the child's force-share override (block.c: bdrv_child_perm())
 * through a graph. Graph facts marked "observed" are what qemu-storage-daemon 7.2 showed.
 */
import { describe, expect, it } from 'vitest';
import { defaultPerms, type ChildPermInput } from '../../src/drivers/default-perms.js';
import { DRIVERS, driverPolicy } from '../../src/drivers/registry.js';
import { Role } from '../../src/drivers/roles.js';
import type { BlockNode, DriverName } from '../../src/graph/types.js';
import { createPermgraph, createVirtualStorage, openFiles, xdbgBlockGraph } from '../../src/index.js';
import { permFromQmpName, permLetters } from '../../src/perms/perm.js';
import { rulesOf } from '../../src/models/rules.js';
import type { Model } from '../../machines/node.types.js';

const CR = 1, W = 2, WU = 4, RS = 8, ALL = 15;
const node = (options: Record<string, unknown> = {}, parents: unknown[] = []) => ({ parents, options }) as unknown as BlockNode;
const input = (perm: number, shared: number, role: number, parentWritable = true, parent = node(), model: Model = 'qemu-7.2'): ChildPermInput =>
  ({ perm, shared, role, parentWritable, edgeName: 'file', parent, rules: rulesOf(model) });

/** Runs `check` for every parent perm × shared × writable. */
function everyInput(check: (P: number, S: number, writable: boolean) => void): void {
  for (const writable of [true, false]) {
    for (let P = 0; P < 16; P++) for (let S = 0; S < 16; S++) check(P, S, writable);
  }
}

describe('the driver table', () => {
  it('has one policy per driver; only file-posix holds a descriptor; protocol drivers have no child rule', () => {
    const summary = Object.fromEntries(
      Object.entries(DRIVERS).map(([name, p]) => [name, { name: p.name, holdsFd: p.holdsFd, childPerm: p.childPerm !== undefined }]),
    );
    expect(summary).toEqual({
      file: { name: 'file', holdsFd: true, childPerm: false },
      'null-co': { name: 'null-co', holdsFd: false, childPerm: false },
      raw: { name: 'raw', holdsFd: false, childPerm: true },
      qcow2: { name: 'qcow2', holdsFd: false, childPerm: true },
      throttle: { name: 'throttle', holdsFd: false, childPerm: true },
      'copy-on-read': { name: 'copy-on-read', holdsFd: false, childPerm: true },
      commit_top: { name: 'commit_top', holdsFd: false, childPerm: true },
      mirror_top: { name: 'mirror_top', holdsFd: false, childPerm: true },
      'copy-before-write': { name: 'copy-before-write', holdsFd: false, childPerm: true },
      nbd: { name: 'nbd', holdsFd: false, childPerm: false },
      'null-aio': { name: 'null-aio', holdsFd: false, childPerm: false },
      preallocate: { name: 'preallocate', holdsFd: false, childPerm: true },
      compress: { name: 'compress', holdsFd: false, childPerm: true },
      'snapshot-access': { name: 'snapshot-access', holdsFd: false, childPerm: true },
      replication: { name: 'replication', holdsFd: false, childPerm: true },
      host_device: { name: 'host_device', holdsFd: true, childPerm: false },
      host_cdrom: { name: 'host_cdrom', holdsFd: true, childPerm: false },
      blkdebug: { name: 'blkdebug', holdsFd: false, childPerm: true },
      blklogwrites: { name: 'blklogwrites', holdsFd: false, childPerm: true },
      blkverify: { name: 'blkverify', holdsFd: false, childPerm: true },
      quorum: { name: 'quorum', holdsFd: false, childPerm: true },
      ...Object.fromEntries(
        ['luks', 'qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'bochs', 'cloop', 'dmg'].map((name) => [name, { name, holdsFd: false, childPerm: true }]),
      ),
      // read-only, it has no child (its write target is not simulated)
      vvfat: { name: 'vvfat', holdsFd: false, childPerm: false },
    });
  });

  it('driverPolicy looks a driver up', () => {
    for (const name of Object.keys(DRIVERS) as DriverName[]) expect(driverPolicy(name)).toBe(DRIVERS[name]);
  });

  it('qcow2 and throttle use bdrv_default_perms exactly', () => {
    expect(DRIVERS.qcow2.childPerm).toBe(defaultPerms);
    expect(DRIVERS.throttle.childPerm).toBe(defaultPerms);
  });
});

describe('raw (raw_child_perm): the default rule, but write and resize only when its parents take them', () => {
  const raw = DRIVERS.raw.childPerm!;

  it('FILTERED|PRIMARY (no offset or size): the identity', () => {
    everyInput((P, S, writable) => {
      expect(raw(input(P, S, Role.FILTERED | Role.PRIMARY, writable)), `P=${P} S=${S}`).toEqual({ perm: P, shared: S });
    });
  });

  it('DATA|PRIMARY (offset or size given): perm as its parents (write unchanged does not become write), resize not shared', () => {
    everyInput((P, S, writable) => {
      expect(raw(input(P, S, Role.DATA | Role.PRIMARY, writable)), `P=${P} S=${S}`).toEqual({ perm: P, shared: S & ~RS });
    });
  });
});

describe('copy-on-read (cor_child_perm): always write unchanged, even when read-only', () => {
  const cor = DRIVERS['copy-on-read'].childPerm!;

  it('perm = (P & (CR|W|RS)) | WU, shared = (S & (CR|W|RS)) | WU, writable or not', () => {
    everyInput((P, S, writable) => {
      expect(cor(input(P, S, Role.FILTERED | Role.PRIMARY, writable)), `P=${P} S=${S} writable=${writable}`).toEqual({
        perm: (P & (CR | W | RS)) | WU,
        shared: (S & (CR | W | RS)) | WU,
      });
    });
  });

  it("the observed values: no users -> U / CWUR; a read-only export above -> CU / CWU", () => {
    expect(cor(input(0, ALL, Role.FILTERED | Role.PRIMARY, false))).toEqual({ perm: WU, shared: ALL });
    expect(cor(input(CR, CR | W | WU, Role.FILTERED | Role.PRIMARY))).toEqual({ perm: CR | WU, shared: CR | W | WU });
  });
});

describe('job filters', () => {
  it('commit_top takes nothing and shares everything, whatever its parents do', () => {
    const commitTop = DRIVERS.commit_top.childPerm!;
    everyInput((P, S, writable) => {
      expect(commitTop(input(P, S, Role.FILTERED | Role.PRIMARY, writable))).toEqual({ perm: 0, shared: ALL });
    });
  });

  it('mirror_top: identity for a mirror; no consistent read and write shared for active commit; nothing once stopping', () => {
    const mirror = DRIVERS.mirror_top.childPerm!;
    const role = Role.FILTERED | Role.PRIMARY;
    everyInput((P, S) => {
      expect(mirror(input(P, S, role, true, node()))).toEqual({ perm: P, shared: S });
      expect(mirror(input(P, S, role, true, node({ 'x-is-commit': true })))).toEqual({ perm: P & ~CR, shared: S | W });
      expect(mirror(input(P, S, role, true, node({ 'x-stopping': true })))).toEqual({ perm: 0, shared: ALL });
      expect(mirror(input(P, S, role, true, node({ 'x-stopping': true, 'x-is-commit': true })))).toEqual({ perm: 0, shared: ALL });
    });
  });

  it('copy-before-write: target written, resize not shared; source default, stricter once the filter has parents', () => {
    const cbw = DRIVERS['copy-before-write'].childPerm!;
    const alone = node();
    const used = node({}, [{}]);
    everyInput((P, S) => {
      expect(cbw(input(P, S, Role.DATA, true, used))).toEqual({ perm: W, shared: ALL & ~RS });
      expect(cbw(input(P, S, Role.DATA, true, alone))).toEqual({ perm: W, shared: ALL & ~RS });
      expect(cbw(input(P, S, Role.FILTERED | Role.PRIMARY, true, alone))).toEqual({ perm: P, shared: S });
      expect(cbw(input(P, S, Role.FILTERED | Role.PRIMARY, true, used))).toEqual({
        perm: P | (P & W ? CR : 0),
        shared: S & ~(W | RS),
      });
    });
    // observed under a writable export: source CW / CU, target W / CWU
    expect(cbw(input(CR | W, CR | W | WU, Role.FILTERED | Role.PRIMARY, true, used))).toEqual({ perm: CR | W, shared: CR | WU });
  });

  it('copy-before-write in QEMU 10.0: the source takes consistent read whenever the filter has parents', () => {
    const cbw = DRIVERS['copy-before-write'].childPerm!;
    everyInput((P, S) => {
      expect(cbw(input(P, S, Role.FILTERED | Role.PRIMARY, true, node(), 'qemu-10.0'))).toEqual({ perm: P, shared: S });
      expect(cbw(input(P, S, Role.FILTERED | Role.PRIMARY, true, node({}, [{}]), 'qemu-10.0'))).toEqual({ perm: P | CR, shared: S & ~(W | RS) });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Through a graph

const FILES = {
  '/i/a.img': { format: 'raw' as const, size: 1 << 20 },
  '/i/q.qcow2': { format: 'qcow2' as const },
  '/i/b.qcow2': { format: 'qcow2' as const },
};

function graphOf(commands: [string, Record<string, unknown>][]) {
  const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(FILES) });
  const replies = commands.map(([execute, args]) => pg.execute({ execute, arguments: args }));
  const graph = xdbgBlockGraph(pg.graph);
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const letters = (list: unknown) => permLetters((list as string[]).reduce((set, name) => set | permFromQmpName(name)!, 0));
  const edges = graph.edges.map((e) => `${names.get(e['parent'] as number)} -[${String(e['name'])}]-> ${names.get(e['child'] as number)} ${letters(e['perm'])}/${letters(e['shared-perm'])}`);
  return { replies, edges, files: openFiles(pg.graph) };
}

const ok = { return: {} };
const readOnlyError = { error: { class: 'GenericError', desc: 'Block node is read-only' } };

describe('raw and copy-on-read in a graph (observed)', () => {
  it('raw without offset passes write unchanged on as it is; with offset/size (DATA) it also unshares resize', () => {
    const { replies, edges } = graphOf([
      ['blockdev-add', { driver: 'file', 'node-name': 'a', filename: '/i/a.img' }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'rs', file: 'a', offset: 0, size: 512 }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'rf', file: 'a' }],
      ['blockdev-add', { driver: 'copy-on-read', 'node-name': 'cor', file: 'rf', 'read-only': true }],
      ['blockdev-add', { driver: 'copy-on-read', 'node-name': 'cor2', file: 'rs' }],
    ]);
    expect(replies).toEqual([ok, ok, ok, ok, ok]);
    expect(edges).toEqual([
      'cor2 -[file]-> rs U/CWUR',
      'cor -[file]-> rf U/CWUR',
      'rf -[file]-> a U/CWUR',
      'rs -[file]-> a U/CWU',
    ]);
  });

  it('copy-on-read cannot sit on a read-only node, even when it is read-only itself', () => {
    const { replies, edges } = graphOf([
      ['blockdev-add', { driver: 'file', 'node-name': 'fr', filename: '/i/a.img', 'read-only': true }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'rr', file: 'fr', 'read-only': true }],
      ['blockdev-add', { driver: 'copy-on-read', 'node-name': 'c1', file: 'rr', 'read-only': true }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'rw', file: 'fr' }],
      ['blockdev-add', { driver: 'copy-on-read', 'node-name': 'c2', file: 'rw', 'read-only': true }],
    ]);
    expect(replies).toEqual([ok, ok, readOnlyError, ok, readOnlyError]);
    expect(edges).toEqual(['rw -[file]-> fr -/CWUR', 'rr -[file]-> fr -/CWUR']);
  });
});

describe('force-share (bdrv_child_perm: the child overrides what its parents share)', () => {
  it('on the child: its parent edge shares everything, so no "unshared" lock byte (observed)', () => {
    const { replies, edges, files } = graphOf([
      ['blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/q.qcow2', 'read-only': true, 'force-share': true }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'f', 'read-only': true }],
      ['blockdev-add', { driver: 'file', 'node-name': 'g', filename: '/i/b.qcow2', 'read-only': true }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'qg', file: 'g', 'read-only': true, 'force-share': true }],
    ]);
    expect(replies).toEqual([ok, ok, ok, ok]);
    // on the parent (qg) it changes nothing below it
    expect(edges).toEqual(['qg -[file]-> g C/CU', 'q -[file]-> f C/CWUR']);
    expect(files).toEqual([
      { path: '/i/q.qcow2', mode: 'O_RDONLY', locks: ['perm:consistent-read'] },
      { path: '/i/b.qcow2', mode: 'O_RDONLY', locks: ['perm:consistent-read', 'unshared:resize', 'unshared:write'] },
    ]);
  });

  it('is refused on a read-write node (observed)', () => {
    const { replies } = graphOf([['blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/a.img', 'force-share': true }]]);
    expect(replies).toEqual([{ error: { class: 'GenericError', desc: 'force-share=on can only be used with read-only images' } }]);
  });
});
