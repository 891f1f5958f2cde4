/**
 * The sharded record (src/graph/shards.ts): 16 × 16 × 16 buckets under immer, so that a change
 * copies one path of three small arrays and one bucket, and every other bucket keeps its identity.
 */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { editShards, finishShards } from '../../src/graph/shard-edit.js';
import { diffShards, shardValues } from '../../src/graph/shard-walk.js';
import { deleteShard, emptyShards, getShard, setShard, type Shards } from '../../src/graph/shards.js';
import { createPermgraph, createVirtualStorage } from '../../src/index.js';

const COUNT = 10_000;
const key = (i: number) => `k${i}`;

function filled(count = COUNT): Shards<number> {
  return produce(emptyShards<number>(), (draft) => {
    for (let i = 0; i < count; i++) setShard(draft as Shards<number>, key(i), i);
  });
}

/** Every bucket of the three levels, with its position. */
function* buckets<T>(shards: Shards<T>): Generator<[string, object]> {
  for (const [i, middle] of shards.entries()) {
    for (const [j, level] of (middle ?? []).entries()) {
      for (const [k, bucket] of (level ?? []).entries()) if (bucket) yield [`${i}/${j}/${k}`, bucket];
    }
  }
}

describe('emptyShards', () => {
  it('is 16 empty slots', () => {
    const shards = emptyShards<number>();
    expect(shards).toHaveLength(16);
    expect(shards.every((s) => s === undefined)).toBe(true);
    expect([...shardValues(shards)]).toEqual([]);
  });
});

describe('get, set, delete and iterate 10,000 keys', () => {
  const shards = filled();

  it('finds every key, and nothing else', () => {
    for (let i = 0; i < COUNT; i++) {
      if (getShard(shards, key(i)) !== i) expect(getShard(shards, key(i)), key(i)).toBe(i);
    }
    expect(getShard(shards, 'nope')).toBeUndefined();
    expect(getShard(shards, `k${COUNT}`)).toBeUndefined();
  });

  it('iterates every value exactly once', () => {
    expect([...shardValues(shards)].sort((a, b) => a - b)).toEqual([...Array(COUNT).keys()]);
  });

  it('spreads the keys over many buckets, none holding more than a few', () => {
    const sizes = [...buckets(shards)].map(([, b]) => Object.keys(b).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(sizes.length).toBeGreaterThan(3000);
    expect(Math.max(...sizes)).toBeLessThan(20);
  });

  it('overwrites a key in place', () => {
    const next = produce(shards, (draft) => setShard(draft as Shards<number>, 'k7', 700));
    expect(getShard(next, 'k7')).toBe(700);
    expect([...shardValues(next)]).toHaveLength(COUNT);
  });

  it('deletes a key, and deleting a missing key changes nothing', () => {
    const fewer = produce(shards, (draft) => deleteShard(draft as Shards<number>, 'k1234'));
    expect(getShard(fewer, 'k1234')).toBeUndefined();
    expect(getShard(fewer, 'k1235')).toBe(1235);
    expect([...shardValues(fewer)]).toHaveLength(COUNT - 1);
    expect(produce(shards, (draft) => deleteShard(draft as Shards<number>, 'nope'))).toBe(shards);
  });

  it('keys that are not identifiers work too', () => {
    const odd = ['', '#block123', 'a.b-c_d', 'ü', 'constructor', '__proto__x'];
    const next = produce(emptyShards<string>(), (draft) => {
      for (const k of odd) setShard(draft as Shards<string>, k, `v:${k}`);
    });
    expect(odd.map((k) => getShard(next, k))).toEqual(odd.map((k) => `v:${k}`));
  });
});

describe('structural sharing under immer', () => {
  const base = filled();

  /** Which buckets (by position) are no longer the same object. */
  function changedBuckets(before: Shards<number>, after: Shards<number>): string[] {
    const old = new Map(buckets(before));
    const now = new Map(buckets(after));
    const changed = [...now].filter(([at, bucket]) => old.get(at) !== bucket).map(([at]) => at);
    const gone = [...old.keys()].filter((at) => !now.has(at));
    return [...changed, ...gone];
  }

  it('changing one key copies only the path to its bucket', () => {
    const next = produce(base, (draft) => setShard(draft as Shards<number>, 'k42', -1));
    const changed = changedBuckets(base, next);
    expect(changed).toHaveLength(1);
    const [i, j, k] = changed[0]!.split('/').map(Number) as [number, number, number];
    expect(next[i]?.[j]?.[k]?.['k42']).toBe(-1);
    // the other 15 slots at each level are the very same objects
    base.forEach((middle, x) => expect(next[x] === middle, `top ${x}`).toBe(x !== i));
    base[i]!.forEach((level, y) => expect(next[i]![y] === level, `middle ${y}`).toBe(y !== j));
    base[i]![j]!.forEach((bucket, z) => expect(next[i]![j]![z] === bucket, `bucket ${z}`).toBe(z !== k));
  });

  it('keeps the other keys of the copied bucket, and leaves the old snapshot as it was', () => {
    const next = produce(base, (draft) => setShard(draft as Shards<number>, 'k42', -1));
    expect(getShard(base, 'k42')).toBe(42);
    const [at] = changedBuckets(base, next);
    const before = new Map(buckets(base)).get(at!) as Record<string, number>;
    const after = new Map(buckets(next)).get(at!) as Record<string, number>;
    expect({ ...after, k42: 42 }).toEqual(before);
  });

  it('deleting one key also copies one bucket only', () => {
    const next = produce(base, (draft) => deleteShard(draft as Shards<number>, 'k9999'));
    expect(changedBuckets(base, next)).toHaveLength(1);
  });

  it('a recipe that changes nothing returns the same snapshot', () => {
    expect(produce(base, () => undefined)).toBe(base);
  });
});

describe('keys named like Object.prototype members (valid QEMU node names)', () => {
  const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

  it('are not found when never set, even where their bucket holds other keys', () => {
    const shards = filled();
    expect(PROTOTYPE_NAMES.map((name) => getShard(shards, name))).toEqual(PROTOTYPE_NAMES.map(() => undefined));
  });

  it('through QMP: with 300 other nodes, blockdev-del and blockdev-add of such a name answer as QEMU 7.2 did', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage() });
    for (let i = 0; i < 300; i++) pg.execute({ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': `n${i}` } });
    const attempt = (execute: string, args: Record<string, unknown>): unknown => {
      try {
        return pg.execute({ execute, arguments: args });
      } catch (error) {
        return `threw ${String(error)}`;
      }
    };
    // qemu-storage-daemon 7.2 after the same 300 blockdev-adds
    expect(attempt('blockdev-del', { 'node-name': 'hasOwnProperty' })).toEqual({ error: { class: 'GenericError', desc: "Failed to find node with node-name='hasOwnProperty'" } });
    expect(attempt('blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'hasOwnProperty' })).toEqual({ error: { class: 'GenericError', desc: "Cannot find device='hasOwnProperty' nor node-name='hasOwnProperty'" } });
    expect(attempt('blockdev-add', { driver: 'null-co', 'node-name': 'hasOwnProperty' })).toEqual({ return: {} });
  });
});

describe('diffShards', () => {
  const diff = (before: Shards<number>, after: Shards<number>) => {
    const removed: number[] = [];
    const added: number[] = [];
    diffShards(before, after, (v) => removed.push(v), (v) => added.push(v));
    return { removed: removed.sort((a, b) => a - b), added: added.sort((a, b) => a - b) };
  };
  const edited = (base: Shards<number>, change: (shards: Shards<number>) => void): Shards<number> => {
    const shards = editShards(base);
    change(shards);
    return finishShards(shards);
  };

  it('gives what an edit set, replaced and deleted, and nothing for the same shards', () => {
    const base = edited(emptyShards(), (s) => {
      for (let i = 0; i < 50; i++) setShard(s, key(i), i);
    });
    const after = edited(base, (s) => {
      setShard(s, key(3), 1003);
      deleteShard(s, key(7));
      setShard(s, key(60), 60);
    });
    expect(diff(base, base)).toEqual({ removed: [], added: [] });
    expect(diff(base, after)).toEqual({ removed: [3, 7], added: [60, 1003] });
    expect(diff(after, base)).toEqual({ removed: [60, 1003], added: [3, 7] });
  });

  it('compares by key where one side split a bucket the other has whole', () => {
    // shards made under immer never split; an edit splits a bucket past 16 entries
    const whole = filled();
    const split = edited(whole, (s) => {
      for (let i = COUNT; i < 8 * COUNT; i++) setShard(s, key(i), i);
      for (let i = COUNT; i < 8 * COUNT; i++) deleteShard(s, key(i));
      setShard(s, key(5), -5);
    });
    expect([...buckets(split)].some(([, bucket]) => Array.isArray(bucket))).toBe(true);
    expect(diff(whole, split)).toEqual({ removed: [5], added: [-5] });
  });
});
