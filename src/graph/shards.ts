/**
 * A two-level sharded record: 64 × 64 buckets of plain records, keyed by a hash of the key.
 * Under immer a change copies two 64-slot arrays and one small bucket, so its cost does not
 * grow with the number of entries the way one flat record of all of them would.
 */
export type Bucket<T> = Readonly<Record<string, T>>;
export type Shards<T> = readonly (readonly (Bucket<T> | undefined)[] | undefined)[];
type MutableShards<T> = ((Record<string, T> | undefined)[] | undefined)[];

const FANOUT = 64;

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
  const h = hash(key);
  return shards[h % FANOUT]?.[(h >>> 6) % FANOUT]?.[key];
}

/** Sets `key` in a draft (or any mutable copy) of shards. */
export function setShard<T>(shards: Shards<T>, key: string, value: T): void {
  const h = hash(key);
  const top = shards as MutableShards<T>;
  const i = h % FANOUT;
  const j = (h >>> 6) % FANOUT;
  const level = (top[i] ??= new Array<undefined>(FANOUT).fill(undefined));
  const bucket = (level[j] ??= {});
  bucket[key] = value;
}

export function deleteShard<T>(shards: Shards<T>, key: string): void {
  const h = hash(key);
  const bucket = (shards as MutableShards<T>)[h % FANOUT]?.[(h >>> 6) % FANOUT];
  if (bucket) delete bucket[key];
}

export function* shardValues<T>(shards: Shards<T>): Generator<T> {
  for (const level of shards) {
    if (!level) continue;
    for (const bucket of level) {
      if (!bucket) continue;
      for (const key in bucket) yield bucket[key]!;
    }
  }
}
