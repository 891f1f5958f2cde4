/**
 * Walks over every entry of sharded records, whatever their layout: as a list, a map, a generator,
 * or the difference between two of them.
 */
import { Entries, type Shards, type Slot } from './shard-layout.js';

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
