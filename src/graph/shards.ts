/**
 * A sharded record: 16 × 16 × 16 buckets of plain records, keyed by a hash of the key. A change
 * copies three 16-slot arrays and one small bucket (under immer, or in an edit made by
 * editShards()), so its cost does not grow with the number of entries the way one flat record of
 * all of them would.
 *
 * So that buckets stay small at any size, an edit that would put more than MAX_BUCKET entries in
 * one bucket turns it into a further level of 16 slots, indexed by the next four bits of the hash
 * (up to the hash's 32 bits). An edit's buckets are Entries (keys and values side by side), which
 * copy far faster than records V8 keeps as hash tables. Levels and Entries stand where the types
 * say a record bucket does: read shards only through getShard() and shardValues().
 */
import { immerable } from 'immer';

export type Bucket<T> = Readonly<Record<string, T>>;
type Level<T> = readonly (Bucket<T> | undefined)[];
export type Shards<T> = readonly (readonly (Level<T> | undefined)[] | undefined)[];

/**
 * A bucket as edits make it. Never changed in place but by the edit that made it; immer drafts it
 * like a plain record, so produce() over a snapshot reaches every entry.
 */
class Entries {
  readonly [immerable] = true;

  constructor(
    readonly keys: string[] = [],
    readonly values: unknown[] = [],
  ) {}

  get(key: string): unknown {
    const at = this.keys.indexOf(key);
    return at < 0 ? undefined : this.values[at];
  }

  set(key: string, value: unknown): void {
    const at = this.keys.indexOf(key);
    if (at >= 0) this.values[at] = value;
    else {
      this.keys.push(key);
      this.values.push(value);
    }
  }

  delete(key: string): void {
    const at = this.keys.indexOf(key);
    if (at < 0) return;
    this.keys.splice(at, 1);
    this.values.splice(at, 1);
  }
}

type RecordBucket = Record<string, unknown>;
type Bucketish = RecordBucket | Entries;
/** What a slot holds, seen from here: a further level, a bucket, or nothing. */
type Slot = Slot[] | Bucketish | undefined;

/** A bucket's entries as the edit's own copy. */
function copyBucket(bucket: Bucketish): Entries {
  if (bucket instanceof Entries) return new Entries(bucket.keys.slice(), bucket.values.slice());
  const copy = new Entries();
  for (const key in bucket) copy.set(key, bucket[key]);
  return copy;
}

function lookUp(bucket: Bucketish, key: string): unknown {
  if (bucket instanceof Entries) return bucket.get(key);
  // own keys only: a node may be called 'constructor' or 'hasOwnProperty'
  return Object.hasOwn(bucket, key) ? bucket[key] : undefined;
}

const FANOUT = 16;
const MAX_BUCKET = 16;
/** Bits of the hash in use: a bucket at this depth takes whatever collides in all of them. */
const HASH_BITS = 32;

function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function emptyShards<T>(): Shards<T> {
  return new Array<undefined>(FANOUT).fill(undefined);
}

export function getShard<T>(shards: Shards<T>, key: string): T | undefined {
  return getHashed(shards, hash(key), key) as T | undefined;
}

function getHashed(shards: Shards<unknown>, h: number, key: string): unknown {
  let slot = shards as unknown as Slot;
  for (let shift = 0; Array.isArray(slot); shift += 4) slot = slot[(h >>> shift) & 15];
  return slot ? lookUp(slot, key) : undefined;
}

const emptyLevel = (): Slot[] => new Array<undefined>(FANOUT).fill(undefined);

/**
 * An edit of shards: what it copied so far (and so may change in place), the keys it set or
 * deleted, and the shards it started from.
 */
interface Edit {
  readonly base: Shards<unknown>;
  /** Made at the first change. */
  changes?: Changes;
}

interface Changes {
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
function changing(shards: Shards<unknown>): Changes | undefined {
  const edit = editOf(shards);
  if (!edit) return undefined;
  return (edit.changes ??= { owned: new Set(), touched: new Set() });
}

/** Ends an edit: the edited shards (as plain shards), or `base` itself when no entry differs from it. */
export function finishShards<T>(shards: Shards<T>): Shards<T> {
  const edit = editOf(shards);
  if (!edit) return shards;
  for (const key of edit.changes?.touched ?? []) if (getShard(shards, key) !== getShard(edit.base, key)) return shards.slice();
  return edit.base as Shards<T>;
}

/** The keys an edit set or deleted. */
export function touchedKeys(shards: Shards<unknown>): ReadonlySet<string> {
  return editOf(shards)?.changes?.touched ?? NONE;
}

const NONE: ReadonlySet<string> = new Set();

const newEntries = (): Entries => new Entries();
const newRecord = (): RecordBucket => Object.create(null) as RecordBucket;

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
function editedBucket(changes: Changes, shards: Shards<unknown>, h: number, adding: boolean): Entries {
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

/** Every value, as an array: plain loops, for the hot paths that walk a whole record. */
export function shardValueList<T>(shards: Shards<T>): T[] {
  const out: unknown[] = [];
  collect(shards as unknown as Slot, out);
  return out as T[];
}

function collect(slot: Slot, out: unknown[]): void {
  if (Array.isArray(slot)) {
    for (let i = 0; i < slot.length; i++) if (slot[i]) collect(slot[i], out);
  } else if (slot instanceof Entries) {
    for (let i = 0; i < slot.values.length; i++) out.push(slot.values[i]);
  } else if (slot) {
    for (const key in slot) out.push(slot[key]);
  }
}

/** Every key with its value, in a Map: two shards with the same entries give equal maps. */
export function shardEntries<T>(shards: Shards<T>): Map<string, T> {
  const out = new Map<string, unknown>();
  collectEntries(shards as unknown as Slot, out);
  return out as Map<string, T>;
}

function collectEntries(slot: Slot, out: Map<string, unknown>): void {
  if (Array.isArray(slot)) {
    for (let i = 0; i < slot.length; i++) if (slot[i]) collectEntries(slot[i], out);
  } else if (slot instanceof Entries) {
    for (let i = 0; i < slot.keys.length; i++) out.set(slot.keys[i]!, slot.values[i]);
  } else if (slot) {
    for (const key in slot) out.set(key, slot[key]);
  }
}

export function* shardValues<T>(shards: Shards<T>): Generator<T> {
  yield* slotValues(shards as unknown as Slot) as Generator<T>;
}

function* slotValues(slot: Slot): Generator<unknown> {
  if (Array.isArray(slot)) {
    for (const inner of slot) if (inner) yield* slotValues(inner);
  } else if (slot instanceof Entries) {
    yield* slot.values;
  } else if (slot) {
    for (const key in slot) yield slot[key];
  }
}

/**
 * The entries of `after` that `before` does not hold as the same value (`added`), and those of
 * `before` that `after` does not (`removed`; a changed value is both). The parts the two share
 * are skipped, so this costs the changed paths, whatever the two shards' layouts.
 */
export function diffShards<T>(before: Shards<T>, after: Shards<T>, removed: (value: T) => void, added: (value: T) => void): void {
  diffSlot(before as unknown as Slot, after as unknown as Slot, removed as (value: unknown) => void, added as (value: unknown) => void);
}

function diffSlot(a: Slot, b: Slot, removed: (value: unknown) => void, added: (value: unknown) => void): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diffSlot(a[i], b[i], removed, added);
    return;
  }
  if (a instanceof Entries && b instanceof Entries) {
    for (let i = 0; i < a.keys.length; i++) if (b.get(a.keys[i]!) !== a.values[i]) removed(a.values[i]);
    for (let i = 0; i < b.keys.length; i++) if (a.get(b.keys[i]!) !== b.values[i]) added(b.values[i]);
    return;
  }
  // a bucket against a level (one was split), or against nothing: compare by key
  const was = new Map<string, unknown>();
  const now = new Map<string, unknown>();
  if (a) collectEntries(a, was);
  if (b) collectEntries(b, now);
  for (const [key, value] of was) if (now.get(key) !== value) removed(value);
  for (const [key, value] of now) if (was.get(key) !== value) added(value);
}
