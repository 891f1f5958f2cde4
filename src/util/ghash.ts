/**
 * The order in which a GLib GHashTable of strings (g_str_hash, g_str_equal) hands back its keys:
 * the order QOM lists an object's properties and children in (qom/object.c keeps them in
 * `obj->properties`), and so the order of `query-chardev` and `qom-list`. Only the keys' places
 * are kept, as GLib 2.74's ghash.c places them: open addressing with quadratic probing from
 * `(hash * 11) % mod`, tombstones left by removals, and the in-place resize of resize_map().
 * Immutable: every change gives a new table.
 */

const MIN_SHIFT = 3;
/** ghash.c prime_mod[]: the largest prime below each power of two. */
const PRIME_MOD = [1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071, 262139, 524287];
const TOMBSTONE = 1;

/** A slot: empty, a tombstone, or a key. */
export type GHashSlot = null | typeof TOMBSTONE | string;

export interface GHashTable {
  readonly shift: number;
  readonly slots: readonly GHashSlot[];
  readonly nnodes: number;
  /** Slots holding a key or a tombstone. */
  readonly noccupied: number;
}

export const emptyGHashTable = (): GHashTable => ({ shift: MIN_SHIFT, slots: new Array<GHashSlot>(1 << MIN_SHIFT).fill(null), nnodes: 0, noccupied: 0 });

/** g_str_hash(): djb2 over the string's bytes as signed chars; 0 and 1 are taken as 2 (HASH_IS_REAL). */
export function strHash(key: string): number {
  let h = 5381;
  for (const byte of new TextEncoder().encode(key)) h = (Math.imul(h, 33) + (byte >= 0x80 ? byte - 0x100 : byte)) >>> 0;
  return h < 2 ? 2 : h;
}

const mask = (shift: number): number => (1 << shift) - 1;
const toIndex = (hash: number, shift: number): number => (Math.imul(hash, 11) >>> 0) % PRIME_MOD[shift]!;

/** g_hash_table_lookup_node(): the key's slot, or where it would go (the first tombstone passed). */
function lookup(table: GHashTable, key: string): { index: number; found: boolean } {
  let index = toIndex(strHash(key), table.shift);
  let tombstone = -1;
  for (let step = 1; table.slots[index] !== null; step++) {
    const slot = table.slots[index]!;
    if (slot === key) return { index, found: true };
    if (slot === TOMBSTONE && tombstone < 0) tombstone = index;
    index = (index + step) & mask(table.shift);
  }
  return { index: tombstone >= 0 ? tombstone : index, found: false };
}

export const hasKey = (table: GHashTable, key: string): boolean => lookup(table, key).found;

/** g_hash_table_insert() of a key not yet in the table (a key in it stays where it is). */
export function insertKey(table: GHashTable, key: string): GHashTable {
  const { index, found } = lookup(table, key);
  if (found) return table;
  const slots = [...table.slots];
  const wasEmpty = slots[index] === null;
  slots[index] = key;
  const next = { ...table, slots, nnodes: table.nnodes + 1, noccupied: table.noccupied + (wasEmpty ? 1 : 0) };
  return wasEmpty ? maybeResize(next) : next;
}

/** g_hash_table_remove(): a tombstone in the key's place, then perhaps a resize. */
export function removeKey(table: GHashTable, key: string): GHashTable {
  const { index, found } = lookup(table, key);
  if (!found) return table;
  const slots = [...table.slots];
  slots[index] = TOMBSTONE;
  return maybeResize({ ...table, slots, nnodes: table.nnodes - 1 });
}

/** The keys in iteration order (g_hash_table_iter_next(): slot by slot). */
export const keysInOrder = (table: GHashTable): string[] => table.slots.filter((s): s is string => typeof s === 'string');

/** g_hash_table_maybe_resize(). */
function maybeResize(table: GHashTable): GHashTable {
  const size = table.slots.length;
  const shrink = size > table.nnodes * 4 && size > 1 << MIN_SHIFT;
  const grow = size <= table.noccupied + Math.floor(table.noccupied / 16);
  return shrink || grow ? resize(table) : table;
}

/** g_hash_table_resize() with resize_map(): keys rehashed in place, evicting as they land. */
function resize(table: GHashTable): GHashTable {
  let bits = Math.trunc(table.nnodes * 1.333);
  let shift = 0;
  for (; bits; shift++) bits >>= 1;
  shift = Math.max(shift, MIN_SHIFT);
  const newSize = 1 << shift;
  const oldSize = table.slots.length;
  const slots: GHashSlot[] = [...table.slots, ...new Array<GHashSlot>(Math.max(0, newSize - oldSize)).fill(null)];
  const placed = new Array<boolean>(Math.max(newSize, oldSize)).fill(false);
  for (let i = 0; i < oldSize; i++) {
    const slot = slots[i]!;
    if (typeof slot !== 'string') {
      slots[i] = null;
      continue;
    }
    if (placed[i]) continue;
    slots[i] = null;
    let moving: string = slot;
    for (;;) {
      let at = toIndex(strHash(moving), shift);
      for (let step = 1; placed[at]; step++) at = (at + step) & mask(shift);
      placed[at] = true;
      const replaced = slots[at]!;
      slots[at] = moving;
      if (typeof replaced !== 'string') break;
      moving = replaced;
    }
  }
  return { shift, slots: slots.slice(0, newSize), nnodes: table.nnodes, noccupied: table.nnodes };
}
