/**
 * A three-level sharded record: 16 × 16 × 16 buckets of plain records, keyed by a hash of the
 * key. Under immer a change copies three 16-slot arrays and one small bucket, so its cost does
 * not grow with the number of entries the way one flat record of all of them would.
 */
export type Bucket<T> = Readonly<Record<string, T>>;
type Level<T> = readonly (Bucket<T> | undefined)[];
export type Shards<T> = readonly (readonly (Level<T> | undefined)[] | undefined)[];
type MutableShards<T> = (((Record<string, T> | undefined)[] | undefined)[] | undefined)[];

const FANOUT = 16;

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
  const bucket = shards[h & 15]?.[(h >>> 4) & 15]?.[(h >>> 8) & 15];
  // own keys only: a node may be called 'constructor' or 'hasOwnProperty'
  return bucket && Object.hasOwn(bucket, key) ? bucket[key] : undefined;
}

const emptyLevel = (): undefined[] => new Array<undefined>(FANOUT).fill(undefined);

/** Sets `key` in a draft (or any mutable copy) of shards. */
export function setShard<T>(shards: Shards<T>, key: string, value: T): void {
  const h = hash(key);
  const top = shards as MutableShards<T>;
  const middle = (top[h & 15] ??= emptyLevel());
  const level = (middle[(h >>> 4) & 15] ??= emptyLevel());
  const bucket = (level[(h >>> 8) & 15] ??= Object.create(null) as Record<string, T>);
  bucket[key] = value;
}

export function deleteShard<T>(shards: Shards<T>, key: string): void {
  const h = hash(key);
  const bucket = (shards as MutableShards<T>)[h & 15]?.[(h >>> 4) & 15]?.[(h >>> 8) & 15];
  if (bucket) delete bucket[key];
}

export function* shardValues<T>(shards: Shards<T>): Generator<T> {
  for (const middle of shards) {
    for (const level of middle ?? []) {
      for (const bucket of level ?? []) {
        if (!bucket) continue;
        for (const key in bucket) yield bucket[key]!;
      }
    }
  }
}
