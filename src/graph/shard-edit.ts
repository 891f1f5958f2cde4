/**
 * A copy-on-write edit of sharded records (editShards() to finishShards()): a change copies only
 * the path to the bucket it changes, once per edit, and never touches the shards the edit started
 * from. An edit that would put more than MAX_BUCKET entries in one bucket turns it into a further
 * level of 16 slots, indexed by the next four bits of the hash (up to the hash's 32 bits).
 */
import { copyBucket, emptyLevel, Entries, getHashed, hash, HASH_BITS, MAX_BUCKET, newEntries, type Bucketish, type Shards, type Slot } from './shard-layout.js';

/**
 * An edit of shards: what it copied so far (and so may change in place), the keys it set or
 * deleted, and the shards it started from.
 */
interface Edit {
  readonly base: Shards<unknown>;
  /** Made at the first change. */
  changes?: Changes;
}

export interface Changes {
  readonly owned: Set<object>;
  readonly touched: Set<string>;
}

/** Where an edit's top array keeps its Edit (a symbol: no iteration, key list or JSON sees it). */
const EDIT = Symbol('shards edit');
type EditTop = { [EDIT]?: Edit };
const editOf = (shards: Shards<unknown>): Edit | undefined => (shards as EditTop)[EDIT];

/**
 * Starts a copy-on-write edit of `base`: setShard() and deleteShard() on the result copy only the
 * path to the bucket they change (once per edit) and never touch `base`.
 */
export function editShards<T>(base: Shards<T>): Shards<T> {
  const top = base.slice();
  (top as EditTop)[EDIT] = { base };
  return top;
}

/** What the edit of `shards` changed, ready to record more; none when they are no edit. */
export function changing(shards: Shards<unknown>): Changes | undefined {
  const edit = editOf(shards);
  if (!edit) return undefined;
  return (edit.changes ??= { owned: new Set(), touched: new Set() });
}

/** Ends an edit: the edited shards (as plain shards), or `base` itself when no entry differs from it. */
export function finishShards<T>(shards: Shards<T>): Shards<T> {
  const edit = editOf(shards);
  if (!edit) return shards;
  for (const key of edit.changes?.touched ?? []) {
    const h = hash(key);
    if (getHashed(shards, h, key) !== getHashed(edit.base, h, key)) return shards.slice();
  }
  return edit.base as Shards<T>;
}

/** The keys an edit set or deleted. */
export function touchedKeys(shards: Shards<unknown>): ReadonlySet<string> {
  return editOf(shards)?.changes?.touched ?? NONE;
}

const NONE: ReadonlySet<string> = new Set();

/** `slot` as the edit's own (copied the first time), or a new one when empty. */
function own<S extends object>(changes: Changes, slot: S | undefined, fresh: () => S, copy: (value: S) => S): S {
  if (slot && changes.owned.has(slot)) return slot;
  const mine = slot ? copy(slot) : fresh();
  changes.owned.add(mine);
  return mine;
}

const copyLevel = (level: Slot[]): Slot[] => level.slice();

/**
 * The bucket `key` goes in, made the edit's own along with the path to it. With `adding`, a full
 * bucket is first split into a further level.
 */
export function editedBucket(changes: Changes, shards: Shards<unknown>, h: number, adding: boolean): Entries {
  let level = shards as unknown as Slot[];
  for (let shift = 0; ; shift += 4) {
    const at = (h >>> shift) & 15;
    const slot = level[at];
    // the top two levels are always levels; below, a slot may be a bucket
    if (Array.isArray(slot) || (slot === undefined && shift < 8)) {
      level = level[at] = own(changes, slot, emptyLevel, copyLevel);
      continue;
    }
    const bucket = (level[at] = own<Bucketish>(changes, slot, newEntries, copyBucket)) as Entries;
    if (!adding || shift + 4 >= HASH_BITS || !isFull(bucket)) return bucket;
    level = level[at] = split(changes, bucket, shift + 4);
  }
}

const isFull = (bucket: Entries): boolean => bucket.keys.length >= MAX_BUCKET;

/** A full bucket as a level of 16 buckets by the hash bits from `shift` on. */
function split(changes: Changes, bucket: Entries, shift: number): Slot[] {
  const level = emptyLevel();
  changes.owned.add(level);
  bucket.keys.forEach((key, i) => {
    const at = (hash(key) >>> shift) & 15;
    const inner = (level[at] ??= own<Bucketish>(changes, undefined, newEntries, copyBucket)) as Entries;
    inner.set(key, bucket.values[i]);
  });
  return level;
}
