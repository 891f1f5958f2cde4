import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { deleteShard, emptyShards, getShard, setShard, shardValues, type Shards } from '../../src/graph/shards.js';

describe('sharded records', () => {
  it('sets, gets, deletes and iterates 10,000 keys', () => {
    const shards = produce(emptyShards<number>(), (draft) => {
      for (let i = 0; i < 10_000; i++) setShard(draft as Shards<number>, `k${i}`, i);
    });
    expect(getShard(shards, 'k1234')).toBe(1234);
    expect(getShard(shards, 'nope')).toBeUndefined();
    expect([...shardValues(shards)].sort((a, b) => a - b)).toEqual([...Array(10_000).keys()]);
    const fewer = produce(shards, (draft) => deleteShard(draft as Shards<number>, 'k1234'));
    expect(getShard(fewer, 'k1234')).toBeUndefined();
    expect([...shardValues(fewer)]).toHaveLength(9_999);
  });

  it('a change copies one path: every other bucket keeps its identity', () => {
    const base = produce(emptyShards<number>(), (draft) => {
      for (let i = 0; i < 10_000; i++) setShard(draft as Shards<number>, `k${i}`, i);
    });
    const next = produce(base, (draft) => setShard(draft as Shards<number>, 'k42', -1));
    let changedMiddles = 0;
    let changedLevels = 0;
    let changedBuckets = 0;
    base.forEach((middle, i) => {
      if (middle !== next[i]) changedMiddles++;
      middle?.forEach((level, j) => {
        if (level !== next[i]?.[j]) changedLevels++;
        level?.forEach((bucket, k) => {
          if (bucket !== next[i]?.[j]?.[k]) changedBuckets++;
        });
      });
    });
    expect([changedMiddles, changedLevels, changedBuckets]).toEqual([1, 1, 1]);
    expect(getShard(base, 'k42')).toBe(42);
  });
});
