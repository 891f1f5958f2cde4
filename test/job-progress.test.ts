/**
 * Job progress in whole bytes: offset, len and speed in events, query-jobs (current-progress,
 * total-progress) and query-block-jobs are integers however the clock moves, as QEMU's int64 and
 * uint64 are.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPermgraph, createVirtualStorage, type Permgraph } from '../src/index.js';
import { startWallClock } from '../src/runtime/wall-clock.js';

const MiB = 1 << 20;

function chain(): Permgraph {
  const pg = createPermgraph({
    model: 'qemu-7.2',
    nodeActors: false,
    storage: createVirtualStorage({
      '/i/base.qcow2': { format: 'qcow2', size: 64 * MiB },
      '/i/mid.qcow2': { format: 'qcow2', size: 64 * MiB, backingFile: '/i/base.qcow2', clusters: [0] },
      '/i/top.qcow2': { format: 'qcow2', size: 64 * MiB, backingFile: '/i/mid.qcow2', clusters: [0] },
      '/i/tgt.qcow2': { format: 'qcow2', size: 64 * MiB },
    }),
  });
  const qcow2 = (name: string, backing: string | null) => ({
    driver: 'qcow2', 'node-name': name, backing, file: { driver: 'file', 'node-name': `${name}-file`, filename: `/i/${name}.qcow2` },
  });
  for (const args of [qcow2('base', null), qcow2('mid', 'base'), qcow2('top', 'mid'), qcow2('tgt', null)]) {
    expect(pg.execute({ execute: 'blockdev-add', arguments: args })).toEqual({ return: {} });
  }
  return pg;
}

/** Every number in `value` that is not an integer, with where it is. */
function fractions(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isInteger(value) ? [] : [`${path} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => fractions(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => fractions(v, `${path}.${k}`));
  return [];
}

/** What a client sees: every QMP event, and the job queries after each move of the clock. */
function watch(pg: Permgraph): { seen: unknown[]; look: () => void } {
  const seen: unknown[] = [];
  pg.events$.subscribe((e) => {
    if (e.type === 'qmp.event') seen.push({ event: e.event, data: e.data });
  });
  const look = (): void => {
    seen.push(pg.execute({ execute: 'query-jobs' }), pg.execute({ execute: 'query-block-jobs' }));
  };
  return { seen, look };
}

const ok = (pg: Permgraph, execute: string, args: Record<string, unknown>): void => {
  expect(pg.execute({ execute, arguments: args }), execute).toEqual({ return: {} });
};

describe('job progress counts whole bytes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const STARTS: readonly [string, Record<string, unknown>][] = [
    ['block-commit', { device: 'top', 'top-node': 'mid', 'base-node': 'base' }],
    ['block-commit', { device: 'top', 'base-node': 'mid' }],
    ['block-stream', { device: 'top', 'base-node': 'base' }],
    ['blockdev-mirror', { device: 'top', target: 'tgt', sync: 'full' }],
    ['blockdev-backup', { device: 'top', target: 'tgt', sync: 'full' }],
  ];

  it.each(STARTS)('%s %o: offset, len and speed stay integers when the clock moves by fractions of a second', (execute, args) => {
    const pg = chain();
    const { seen, look } = watch(pg);
    ok(pg, execute, { 'job-id': 'j', ...args, speed: 3 });
    for (const seconds of [0.1, 0.013, 1 / 3, 0.7, 2.25, 1e-9]) {
      pg.advance(seconds);
      look();
    }
    ok(pg, 'block-job-set-speed', { device: 'j', speed: 1_000_003 });
    for (let i = 0; i < 200 && pg.graph.jobs['j']; i++) {
      pg.advance(0.37);
      look();
      if (pg.graph.jobs['j']?.status === 'ready') ok(pg, 'block-job-complete', { device: 'j' });
    }
    expect(pg.graph.jobs['j']).toBeUndefined();
    expect(seen.filter((s) => JSON.stringify(s).includes('BLOCK_JOB_COMPLETED'))).toHaveLength(1);
    expect(fractions(seen)).toEqual([]);
  });

  it.each(STARTS)('%s %o with a negative speed fails once created, as qemu-storage-daemon 7.2 does', (execute, args) => {
    const pg = chain();
    const { seen } = watch(pg);
    const before = pg.graph;
    expect(pg.execute({ execute, arguments: { 'job-id': 'j', ...args, speed: -1 } })).toEqual({
      error: { class: 'GenericError', desc: "Parameter 'speed' expects a non-negative value" },
    });
    expect(seen).toEqual([
      { event: 'JOB_STATUS_CHANGE', data: { id: 'j', status: 'created' } },
      { event: 'JOB_STATUS_CHANGE', data: { id: 'j', status: 'null' } },
    ]);
    expect(pg.graph).toBe(before);
  });

  it('progresses at its speed: the same time makes the same progress however it is split', () => {
    const once = chain();
    const split = chain();
    for (const pg of [once, split]) ok(pg, 'block-commit', { 'job-id': 'c', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 3 });
    // its first step, mid's one cluster of data, is taken as it starts (src/jobs/step-writes.ts)
    const first = 64 * 1024;
    expect(once.graph.jobs['c']!.offset).toBe(first);
    once.advance(1);
    for (let i = 0; i < 10; i++) split.advance(0.1);
    expect(once.graph.jobs['c']!.offset).toBe(first + 3);
    expect(split.graph.jobs['c']!.offset).toBe(first + 3);
    split.advance(0.2);
    expect(split.graph.jobs['c']!.offset).toBe(first + 3);
    split.advance(0.2);
    expect(split.graph.jobs['c']!.offset).toBe(first + 4);
  });

  it('a job reaches its end exactly at the deadline the runtime names', () => {
    const pg = chain();
    ok(pg, 'block-commit', { 'job-id': 'c', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 3, 'auto-dismiss': false });
    pg.advance(0.1);
    pg.advance(pg.nextJobDeadline());
    expect(pg.graph.jobs['c']).toMatchObject({ status: 'concluded', offset: 64 * MiB, len: 64 * MiB });
  });

  it('under the wall clock of `permgraph qmp`', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const pg = chain();
    const { seen, look } = watch(pg);
    const clock = startWallClock(pg, 20);
    ok(pg, 'block-stream', { 'job-id': 's', device: 'top', 'base-node': 'base', speed: 3 });
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(33);
      look();
    }
    ok(pg, 'block-job-set-speed', { device: 's', speed: 64 * MiB - 1 });
    vi.advanceTimersByTime(1100);
    look();
    clock.stop();
    expect(pg.graph.jobs['s']).toBeUndefined();
    expect(seen.some((s) => JSON.stringify(s).includes('BLOCK_JOB_COMPLETED'))).toBe(true);
    expect(fractions(seen)).toEqual([]);
  });
});
