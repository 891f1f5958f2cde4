/**
 * What internal snapshots write into a qcow2 image (src/drivers/qcow2-snapshots.ts), and what a
 * later open of the image reads (src/core/written-images.ts). The figures are the daemons' (corpus:
 * snapshot-internal-image-writes and resize-then-open-again, recorded on QEMU 7.2 and 10.0.2).
 */
import { describe, expect, it } from 'vitest';
import { deleteSnapshot, snapshotTableBytes, takeSnapshot } from '../../src/drivers/qcow2-snapshots.js';
import { layoutOfWrites } from '../../src/drivers/qcow2-layout.js';
import { QCOW2_DEFAULTS, type Qcow2Facts } from '../../src/graph/node-header.js';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import { createPermgraph } from '../../src/index.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const CLUSTER = 64 * KiB;
/** The first host cluster past the header, refcount table and block and L1 table. */
const FIRST = 4 * CLUSTER;

/** A 16 MiB image with its first `mib` MiB written (one L2 table, then the data clusters). */
const written = (mib: number): Qcow2Facts => ({
  ...QCOW2_DEFAULTS,
  layout: layoutOfWrites(Array.from({ length: (mib * MiB) / CLUSTER }, (_, i) => i), CLUSTER / 8),
});

describe('the snapshot table', () => {
  it('has each entry from an 8-byte boundary, 64 bytes of header and extra data, then id and name; the last one unpadded', () => {
    expect(snapshotTableBytes([])).toBe(0);
    expect(snapshotTableBytes([{ id: '1', name: 'i1', clock: 0 }])).toBe(67);
    expect(snapshotTableBytes([{ id: '1', name: 'i1', clock: 0 }, { id: '2', name: 'i2', clock: 0 }])).toBe(139);
    expect(snapshotTableBytes([{ id: '1', name: 'é', clock: 0 }])).toBe(67);
  });
});

describe('taking and deleting internal snapshots', () => {
  const facts = written(4);
  const used = facts.layout!.length;

  it('the first snapshot: its L1 copy, then the table after it; no old table to free', () => {
    const first = takeSnapshot(facts, { id: '1', name: 's1', clock: 0 }, 16 * MiB, true);
    expect(first.facts.layout!.slice(used)).toEqual([{ snapshot: 'l1' }, { snapshot: 'table' }]);
    expect(first.wroteFile).toBe(FIRST + (used + 1) * CLUSTER + 67);
    expect(first.discards).toEqual({ requests: 0, bytes: 0 });
    expect(first.facts.snapshots).toEqual([{ id: '1', name: 's1', clock: 0, l1: [used], refs: Array.from({ length: used }, (_, i) => i) }]);
  });

  it('a second one writes a new table and frees the old one; deleting the first frees its L1 copy and the table again', () => {
    const first = takeSnapshot(facts, { id: '1', name: 's1', clock: 0 }, 16 * MiB, true);
    const second = takeSnapshot(first.facts, { id: '2', name: 's2', clock: 0 }, 16 * MiB, true);
    expect(second.discards).toEqual({ requests: 1, bytes: CLUSTER });
    expect(second.facts.layout!.slice(used)).toEqual([{ snapshot: 'l1' }, null, { snapshot: 'l1' }, { snapshot: 'table' }]);
    const dropped = deleteSnapshot(second.facts, '1', true);
    // the new table fills the hole the old one left; the old table and the L1 copy are two frees
    expect(dropped.facts.layout!.slice(used)).toEqual([null, { snapshot: 'table' }, { snapshot: 'l1' }, null]);
    expect(dropped.discards).toEqual({ requests: 2, bytes: 2 * CLUSTER });
    expect(dropped.facts.snapshots!.map((s) => s.id)).toEqual(['2']);
  });

  it('the last delete sets the COPIED flags again: the L2 table is written back whole', () => {
    const first = takeSnapshot(facts, { id: '1', name: 's1', clock: 0 }, 16 * MiB, true);
    const dropped = deleteSnapshot(first.facts, '1', true);
    expect(dropped.facts.snapshots).toBeUndefined();
    expect(dropped.wroteFile).toBe(FIRST + CLUSTER);
    expect(dropped.discards).toEqual({ requests: 2, bytes: 2 * CLUSTER });
  });

  it('pass-discard-snapshot=off frees the same clusters and discards none', () => {
    const first = takeSnapshot(facts, { id: '1', name: 's1', clock: 0 }, 16 * MiB, false);
    const dropped = deleteSnapshot(first.facts, '1', false);
    expect(dropped.discards).toEqual({ requests: 0, bytes: 0 });
    expect(dropped.facts.layout!.slice(used)).toEqual([null, null]);
  });

  it('an image whose clusters are not known keeps the list only', () => {
    const taken = takeSnapshot(QCOW2_DEFAULTS, { id: '1', name: 's1', clock: 0 }, 16 * MiB, true);
    expect(taken.facts.layout).toBeUndefined();
    expect(taken.wroteFile).toBe(0);
    expect(taken.facts.snapshots?.map((s) => s.name)).toEqual(['s1']);
  });
});

describe('what a later open of the image reads', () => {
  const setup = [
    { 'qemu-img': ['create', '-f', 'qcow2', '/w/a.qcow2', '16M'] },
    { 'qemu-io': ['-c', 'write 0 4M', '/w/a.qcow2'] },
  ];
  const open = { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'a', file: { driver: 'file', filename: '/w/a.qcow2' } } };
  const image = (pg: ReturnType<typeof createPermgraph>, node: string): Record<string, unknown> => {
    const reply = pg.execute({ execute: 'query-named-block-nodes' });
    const nodes = 'return' in reply ? (reply.return as { 'node-name': string; drv: string; image: Record<string, unknown> }[]) : [];
    return nodes.find((n) => (node === 'file' ? n.drv === 'file' : n['node-name'] === node))!.image;
  };

  for (const model of ['qemu-7.2', 'qemu-10.0', 'dynamic'] as const) {
    it(`keeps the snapshots and the new size across blockdev-del and blockdev-add, and forgets them when the file is made anew (${model})`, () => {
      const pg = createPermgraph({ model, nodeActors: false, storage: virtualStorageFor({ steps: [], setup }, '/w', 's.json') });
      pg.execute(open);
      expect(pg.execute({ execute: 'blockdev-snapshot-internal-sync', arguments: { device: 'a', name: 's1' } })).toEqual({ return: {} });
      expect(pg.execute({ execute: 'block_resize', arguments: { 'node-name': 'a', size: 8 * MiB } })).toEqual({ return: {} });
      const before = { file: image(pg, 'file')['virtual-size'], snapshots: (image(pg, 'a')['snapshots'] as { name: string }[]).map((s) => s.name) };
      pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'a' } });
      pg.execute(open);
      expect(image(pg, 'a')['virtual-size']).toBe(8 * MiB);
      expect({ file: image(pg, 'file')['virtual-size'], snapshots: (image(pg, 'a')['snapshots'] as { name: string }[]).map((s) => s.name) }).toEqual(before);
      expect(pg.execute({ execute: 'blockdev-snapshot-delete-internal-sync', arguments: { device: 'a', name: 's1' } })).toMatchObject({ return: { id: '1', name: 's1' } });
      expect(pg.execute({ execute: 'blockdev-snapshot-internal-sync', arguments: { device: 'a', name: 's2' } })).toEqual({ return: {} });
      pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'a' } });
      pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/w/a.qcow2' } });
      expect(pg.execute({ execute: 'blockdev-create', arguments: { 'job-id': 'c', options: { driver: 'qcow2', file: 'f', size: MiB } } })).toEqual({ return: {} });
      pg.execute({ execute: 'job-dismiss', arguments: { id: 'c' } });
      pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'a', file: 'f' } });
      expect(image(pg, 'a')['virtual-size']).toBe(MiB);
      expect(image(pg, 'a')['snapshots']).toBeUndefined();
      pg.dispose();
    });

    it(`keeps a raw image's and a file node's new length across blockdev-del and blockdev-add (${model})`, () => {
      const files = [{ 'qemu-img': ['create', '-f', 'raw', '/w/r.img', '1M'] }];
      const pg = createPermgraph({ model, nodeActors: false, storage: virtualStorageFor({ steps: [], setup: files }, '/w', 's.json') });
      const raw = { execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'r', file: { driver: 'file', filename: '/w/r.img' } } };
      const file = { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/w/r.img' } };
      pg.execute(raw);
      expect(pg.execute({ execute: 'block_resize', arguments: { 'node-name': 'r', size: 2 * MiB } })).toEqual({ return: {} });
      pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'r' } });
      pg.execute(file);
      expect(image(pg, 'f')['virtual-size']).toBe(2 * MiB);
      expect(pg.execute({ execute: 'block_resize', arguments: { 'node-name': 'f', size: 3 * MiB } })).toEqual({ return: {} });
      pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'f' } });
      pg.execute(raw);
      expect(image(pg, 'r')['virtual-size']).toBe(3 * MiB);
      pg.dispose();
    });
  }
});
