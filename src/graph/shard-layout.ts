/**
 * How sharded records are laid out: 16-slot levels down to buckets, chosen by four bits of a key's
 * hash at a time. A bucket is a plain record (made in place, under immer) or Entries (keys and
 * values side by side, made by an edit), which copy far faster than records V8 keeps as hash
 * tables. Levels and Entries stand where the types say a record bucket does: read shards only
 * through getShard() and the walks of shard-walk.ts.
 */
import { immerable } from 'immer';

export type Bucket<T> = Readonly<Record<string, T>>;
type Level<T> = readonly (Bucket<T> | undefined)[];
export type Shards<T> = readonly (readonly (Level<T> | undefined)[] | undefined)[];

/**
 * A bucket as edits make it. Never changed in place but by the edit that made it; immer drafts it
 * like a plain record, so produce() over a snapshot reaches every entry.
 */
export class Entries {
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

export type RecordBucket = Record<string, unknown>;
export type Bucketish = RecordBucket | Entries;
/** What a slot holds, seen from here: a further level, a bucket, or nothing. */
export type Slot = Slot[] | Bucketish | undefined;

/** A bucket's entries as the edit's own copy. */
export function copyBucket(bucket: Bucketish): Entries {
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

export const FANOUT = 16;
export const MAX_BUCKET = 16;
/** Bits of the hash in use: a bucket at this depth takes whatever collides in all of them. */
export const HASH_BITS = 32;

export function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function getHashed(shards: Shards<unknown>, h: number, key: string): unknown {
  let slot = shards as unknown as Slot;
  for (let shift = 0; Array.isArray(slot); shift += 4) slot = slot[(h >>> shift) & 15];
  return slot ? lookUp(slot, key) : undefined;
}

export const emptyLevel = (): Slot[] => new Array<undefined>(FANOUT).fill(undefined);
export const newEntries = (): Entries => new Entries();
export const newRecord = (): RecordBucket => Object.create(null) as RecordBucket;
