/**
 * Where images hold data, as a setup leaves them (measured with `qemu-img map --output=json` after
 * qemu-img 7.2 and qemu-io), and the first run of one allocation status a backup's first
 * block-copy task follows: the rule that says whether a throttled backup ends at once
 * (corpus: job-backup-first-status-run, job-small-done-at-once).
 */
import { describe, expect, it } from 'vitest';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { extentRun, firstBlock, qcow2Run, withWrite } from '../../src/storage/status-run.js';
import { createPermgraph, type Model } from '../../src/index.js';
import { getJob } from '../../src/graph/graph.js';
import { firstTaskBytes } from '../../src/jobs/first-chunk.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function dataOf(setup: Scenario['setup'], path: string): unknown {
  const facts = virtualStorageFor({ steps: [], setup }, '/w', 's.json').inspect(path);
  if ('error' in facts) throw new Error(facts.error);
  return facts.data;
}

describe('where a raw file holds data', () => {
  const create = (size: string) => ({ 'qemu-img': ['create', '-f', 'raw', '/w/r.img', size] });
  const write = (command: string) => ({ 'qemu-io': ['-f', 'raw', '-c', command, '/w/r.img'] });

  it('qemu-img create writes the first block (4 KiB, or all of a smaller file)', () => {
    expect(dataOf([create('1M')], '/w/r.img')).toEqual([[0, 4096]]);
    expect(dataOf([create('2K')], '/w/r.img')).toEqual([[0, 2048]]);
  });

  it('a write allocates whole blocks; a file grown from nothing by qemu-img resize gets its first block', () => {
    expect(dataOf([create('1M'), write('write 10000 1')], '/w/r.img')).toEqual([[0, 4096], [8192, 12288]]);
    expect(dataOf([create('1M'), write('write 0 128k')], '/w/r.img')).toEqual([[0, 128 * KiB]]);
    expect(dataOf([{ touch: '/w/r.img' }, { 'qemu-img': ['resize', '-f', 'raw', '/w/r.img', '1M'] }], '/w/r.img')).toEqual([[0, 4096]]);
  });

  it('preallocated files and formats other than raw read as data throughout', () => {
    expect(dataOf([{ 'qemu-img': ['create', '-f', 'raw', '-o', 'preallocation=full', '/w/r.img', '1M'] }], '/w/r.img')).toBeUndefined();
    expect(dataOf([{ 'qemu-img': ['create', '-f', 'qcow2', '/w/q.qcow2', '1M'] }], '/w/q.qcow2')).toBeUndefined();
  });
});

describe('the first run of one allocation status', () => {
  it('follows SEEK_DATA and SEEK_HOLE in a raw file', () => {
    expect(extentRun(firstBlock(MiB), 0, MiB)).toBe(4096);
    expect(extentRun(firstBlock(MiB), 4096, MiB)).toBe(MiB - 4096);
    expect(extentRun(withWrite([], 0, MiB), 0, MiB)).toBe(MiB);
    expect(extentRun([], 0, MiB)).toBe(MiB);
    expect(extentRun(undefined, 0, MiB)).toBe(MiB);
  });

  it('is a run of unallocated qcow2 clusters, or of data clusters one after the other in the file', () => {
    expect(qcow2Run([], 64 * KiB, MiB)).toBe(MiB);
    expect(qcow2Run([{ l2: 0 }, { data: 0 }, { data: 1 }, { data: 3 }], 64 * KiB, MiB)).toBe(128 * KiB);
    expect(qcow2Run([{ l2: 0 }, { data: 2 }], 64 * KiB, MiB)).toBe(128 * KiB);
  });
});

describe('a throttled backup ends at once when its first task covers the disk', () => {
  const backupDone = (model: Model, setup: Scenario['setup'], target = 'qcow2'): boolean => {
    const pg = createPermgraph({ model, nodeActors: false, storage: virtualStorageFor({ steps: [], setup }, '/w', 's.json') });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 's', file: { driver: 'file', filename: '/w/s.img' } } });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: target, 'node-name': 't', file: { driver: 'file', filename: '/w/t.img' } } });
    const started = pg.execute({ execute: 'blockdev-backup', arguments: { 'job-id': 'j', device: 's', target: 't', sync: 'full', speed: 1 } });
    expect(started).toEqual({ return: {} });
    const reply = pg.execute({ execute: 'query-block-jobs' });
    pg.dispose();
    return 'return' in reply && Array.isArray(reply.return) && reply.return.length === 0;
  };
  const raw = (size: string, ...writes: string[]): Scenario['setup'] => onto('qcow2', size, ...writes);
  const onto = (format: string, size: string, ...writes: string[]): Scenario['setup'] => [
    { 'qemu-img': ['create', '-f', 'raw', '/w/s.img', size] },
    { 'qemu-img': ['create', '-f', format, '/w/t.img', size] },
    ...writes.map((w) => ({ 'qemu-io': ['-f', 'raw', '-c', w, '/w/s.img'] })),
  ];

  for (const model of ['qemu-7.2', 'qemu-10.0'] as const) {
    it(`in ${model}: one cluster, or a disk of one run up to 1 MiB; not a raw file qemu-img made, nor one with a hole`, () => {
      expect(backupDone(model, raw('64K'))).toBe(true);
      expect(backupDone(model, raw('1M', 'write 0 1M'))).toBe(true);
      expect(backupDone(model, raw('1M'))).toBe(false);
      expect(backupDone(model, raw('1M', 'write 0 128k'))).toBe(false);
      expect(backupDone(model, raw('2M', 'write 0 2M'))).toBe(false);
    });

    it(`in ${model}: a cluster is the target's own where larger than 64 KiB (vdi, vhdx)`, () => {
      expect(backupDone(model, onto('vdi', '1M'), 'vdi')).toBe(true);
      expect(backupDone(model, onto('vhdx', '4M'), 'vhdx')).toBe(true);
      expect(backupDone(model, onto('vdi', '2M', 'write 0 2M'), 'vdi')).toBe(false);
      expect(backupDone(model, onto('qed', '1M'), 'qed')).toBe(false);
    });
  }
});

describe('a backup of an overlay', () => {
  const chain = (baseWrite: string, overlayWrites: readonly string[]): Scenario['setup'] => [
    { 'qemu-img': ['create', '-f', 'qcow2', '/w/b.qcow2', '1M'] },
    { 'qemu-io': ['-c', baseWrite, '/w/b.qcow2'] },
    { 'qemu-img': ['create', '-f', 'qcow2', '-b', '/w/b.qcow2', '-F', 'qcow2', '/w/o.qcow2'] },
    ...(overlayWrites.length > 0 ? [{ 'qemu-io': overlayWrites.flatMap((w) => ['-c', w]).concat('/w/o.qcow2') }] : []),
    { 'qemu-img': ['create', '-f', 'qcow2', '/w/t.qcow2', '1M'] },
  ];
  const backup = (model: Model, setup: Scenario['setup'], sync: string): { done: boolean; len: unknown } => {
    const pg = createPermgraph({ model, nodeActors: false, storage: virtualStorageFor({ steps: [], setup }, '/w', 's.json') });
    for (const [name, file] of [['o', '/w/o.qcow2'], ['t', '/w/t.qcow2']]) {
      pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': name, file: { driver: 'file', filename: file } } });
    }
    expect(pg.execute({ execute: 'blockdev-backup', arguments: { 'job-id': 'j', device: 'o', target: 't', sync, speed: 1 } })).toEqual({ return: {} });
    const reply = pg.execute({ execute: 'query-block-jobs' });
    pg.dispose();
    const jobs = 'return' in reply && Array.isArray(reply.return) ? (reply.return as { len: unknown }[]) : [];
    return { done: jobs.length === 0, len: jobs[0]?.len };
  };

  for (const model of ['qemu-7.2', 'qemu-10.0'] as const) {
    it(`in ${model}: sync=full reads the overlay's holes in its backing`, () => {
      expect(backup(model, chain('write 0 1M', []), 'full').done).toBe(true);
      expect(backup(model, chain('write 0 128k', []), 'full').done).toBe(false);
    });

    it(`in ${model}: sync=top copies what the top image allocates`, () => {
      expect(backup(model, chain('write 0 1M', []), 'top').done).toBe(true);
      expect(backup(model, chain('write 0 1M', ['write 64k 128k']), 'top').done).toBe(true);
      expect(backup(model, chain('write 0 1M', ['write 0 64k', 'write 512k 64k']), 'top')).toEqual({ done: false, len: 131072 });
    });
  }
});

describe("a backup's first task: the run in whole clusters, rounded down unless it reaches the disk's end", () => {
  const firstTask = (model: Model, setup: Scenario['setup'], source: string): { bytes: number; done: boolean } => {
    const storage = virtualStorageFor({ steps: [], setup }, '/w', 's.json');
    const pg = createPermgraph({ model, nodeActors: false, storage });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 's', 'read-only': true, file: { driver: 'file', filename: source } } });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 't', file: { driver: 'file', filename: '/w/t.img' } } });
    expect(pg.execute({ execute: 'blockdev-backup', arguments: { 'job-id': 'j', device: 's', target: 't', sync: 'full', speed: 1 } })).toEqual({ return: {} });
    const job = getJob(pg.graph, 'j');
    pg.dispose();
    return job ? { bytes: firstTaskBytes(pg.graph, storage, job), done: false } : { bytes: NaN, done: true };
  };
  const written = (size: string, write: string): Scenario['setup'] => [
    { 'qemu-img': ['create', '-f', 'raw', '/w/s.img', size] },
    { 'qemu-io': ['-f', 'raw', '-c', write, '/w/s.img'] },
    { 'qemu-img': ['create', '-f', 'raw', '/w/t.img', size] },
  ];
  // corpus: job-backup-first-run-rounding
  for (const model of ['qemu-7.2', 'qemu-10.0'] as const) {
    it(`in ${model}`, () => {
      expect(firstTask(model, written('2M', 'write 0 200k'), '/w/s.img')).toEqual({ bytes: 3 * 64 * KiB, done: false });
      expect(firstTask(model, written('1M', 'write 0 1000k'), '/w/s.img')).toEqual({ bytes: 15 * 64 * KiB, done: false });
      // a qcow2 file read as raw: its 196616 bytes of data end inside the disk's last sector
      const qcow2File = [{ 'qemu-img': ['create', '-f', 'qcow2', '/w/q.qcow2', '1M'] }, { 'qemu-img': ['create', '-f', 'raw', '/w/t.img', '197120'] }];
      expect(firstTask(model, qcow2File, '/w/q.qcow2')).toEqual({ bytes: 3 * 64 * KiB, done: false });
    });
  }
});
