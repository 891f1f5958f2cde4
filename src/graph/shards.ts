/**
 * A three-level sharded record: 16 × 16 × 16 buckets of plain records, keyed by a hash of the
 * key. A change copies three 16-slot arrays and one small bucket (under immer, or in an edit made
 * by editShards()), so its cost does not grow with the number of entries the way one flat record
 * of all of them would.
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
  return getHashed(shards, hash(key), key);
}

function getHashed<T>(shards: Shards<T>, h: number, key: string): T | undefined {
  const bucket = shards[h & 15]?.[(h >>> 4) & 15]?.[(h >>> 8) & 15];
  // own keys only: a node may be called 'constructor' or 'hasOwnProperty'
  return bucket && Object.hasOwn(bucket, key) ? bucket[key] : undefined;
}

const emptyLevel = (): undefined[] => new Array<undefined>(FANOUT).fill(undefined);

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

function ownedCopy<S extends object>(edit: Changes, value: S | undefined, fresh: () => S, copy: (value: S) => S): S {
  if (value && edit.owned.has(value)) return value;
  const mine = value ? copy(value) : fresh();
  edit.owned.add(mine);
  return mine;
}

type MutableLevel<T> = (Record<string, T> | undefined)[];
const copyArray = <S>(a: S[]): S[] => a.slice();
// Buckets hold keys no other object has: as prototype-less records V8 keeps them as hash tables
// from the start, where a for-in copy is fastest (and no key can reach a prototype).
function copyBucket<T>(bucket: Record<string, T>): Record<string, T> {
  const copy = newBucket<T>();
  for (const key in bucket) copy[key] = bucket[key]!;
  return copy;
}
const newBucket = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** The bucket of `key` in an edit, copied into it along with the path to it. */
function editedBucket<T>(edit: Changes, shards: Shards<T>, h: number): Record<string, T> {
  const top = shards as MutableShards<T>;
  const i = h & 15;
  const j = (h >>> 4) & 15;
  const k = (h >>> 8) & 15;
  const middle = (top[i] = ownedCopy(edit, top[i], emptyLevel as () => (MutableLevel<T> | undefined)[], copyArray));
  const level = (middle[j] = ownedCopy(edit, middle[j], emptyLevel as () => MutableLevel<T>, copyArray));
  return (level[k] = ownedCopy(edit, level[k], newBucket<T>, copyBucket));
}

/** Sets `key` in an edit, a draft, or any mutable copy of shards. */
export function setShard<T>(shards: Shards<T>, key: string, value: T): void {
  const edit = changing(shards);
  if (edit) {
    const h = hash(key);
    if (getHashed(shards, h, key) === value) return;
    editedBucket(edit, shards, h)[key] = value;
    edit.touched.add(key);
    return;
  }
  const h = hash(key);
  const top = shards as MutableShards<T>;
  const middle = (top[h & 15] ??= emptyLevel());
  const level = (middle[(h >>> 4) & 15] ??= emptyLevel());
  const bucket = (level[(h >>> 8) & 15] ??= Object.create(null) as Record<string, T>);
  bucket[key] = value;
}

export function deleteShard<T>(shards: Shards<T>, key: string): void {
  const edit = changing(shards);
  if (edit) {
    const h = hash(key);
    if (getHashed(shards, h, key) === undefined) return;
    delete editedBucket(edit, shards, h)[key];
    edit.touched.add(key);
    return;
  }
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
