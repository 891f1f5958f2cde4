/**
 * A sharded record: 16 × 16 × 16 buckets of plain records, keyed by a hash of the key. A change
 * copies three 16-slot arrays and one small bucket (under immer, or in an edit made by
 * editShards()), so its cost does not grow with the number of entries the way one flat record of
 * all of them would. Here: reading and changing one entry. The layout is in shard-layout.ts, the
 * copy-on-write edit in shard-edit.ts, the walks over every entry in shard-walk.ts.
 */
import { changing, editedBucket } from './shard-edit.js';
import { copyBucket, emptyLevel, Entries, FANOUT, getHashed, hash, newRecord, type Shards, type Slot } from './shard-layout.js';

export type { Bucket, Shards } from './shard-layout.js';

export function emptyShards<T>(): Shards<T> {
  return new Array<undefined>(FANOUT).fill(undefined);
}

export function getShard<T>(shards: Shards<T>, key: string): T | undefined {
  return getHashed(shards, hash(key), key) as T | undefined;
}

/** Sets `key` in an edit, a draft, or any mutable copy of shards. */
export function setShard<T>(shards: Shards<T>, key: string, value: T): void {
  const h = hash(key);
  const changes = changing(shards);
  if (changes) {
    const now = getHashed(shards, h, key);
    if (now === value) return;
    editedBucket(changes, shards, h, now === undefined).set(key, value);
    changes.touched.add(key);
    return;
  }
  // in place (an immer draft): the path is made where missing; buckets are never split here
  let level = shards as unknown as Slot[];
  for (let shift = 0; ; shift += 4) {
    const at = (h >>> shift) & 15;
    const slot = level[at];
    if (Array.isArray(slot)) {
      level = slot;
    } else if (slot === undefined && shift < 8) {
      level = level[at] = emptyLevel();
    } else if (slot instanceof Entries) {
      // an edit's bucket is shared with the snapshot it went into: change a copy
      (level[at] = copyBucket(slot)).set(key, value);
      return;
    } else {
      (slot ?? (level[at] = newRecord()))[key] = value;
      return;
    }
  }
}

export function deleteShard<T>(shards: Shards<T>, key: string): void {
  const h = hash(key);
  const changes = changing(shards);
  if (changes) {
    if (getHashed(shards, h, key) === undefined) return;
    editedBucket(changes, shards, h, false).delete(key);
    changes.touched.add(key);
    return;
  }
  let level = shards as unknown as Slot[];
  for (let shift = 0; ; shift += 4) {
    const at = (h >>> shift) & 15;
    const slot = level[at];
    if (Array.isArray(slot)) level = slot;
    else {
      if (slot instanceof Entries) {
        if (slot.keys.includes(key)) (level[at] = copyBucket(slot)).delete(key);
      } else if (slot) delete slot[key];
      return;
    }
  }
}
