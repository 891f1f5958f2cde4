/**
 * A state's fingerprint up to a universe's symmetry group: under each renaming of the group, the
 * sum of its renamed fragments' hashes section by section (the same multiset hash as
 * stateFingerprint()), the least of those sums being the orbit's fingerprint. Two states of one
 * orbit have the same set of sums (a renaming of a renaming is in the group), so the same least
 * one; states of two orbits share it only by a 64-bit collision.
 *
 * Cost: each fragment gets a number and its hashes under all |G| renamings once, the first time
 * it is seen; a state's |G| sums are remembered for its snapshot, and given the state it was
 * reached from, each sum is the parent's with the fragments the command changed taken out and put
 * in (Uint32Array lanes wrap modulo 2^32 as the sums do), so a state costs |G| times the few
 * fragments its command changed, not |G| times all of them.
 */
import { EDGES, type Fingerprint, hash64, NODES, REST, TAIL } from './state-hash.js';
import type { Symmetry } from './symmetry.js';
import { renameText, stateSections, type Renaming, type StateSections } from './symmetry-text.js';
import type { WorldState } from './world.js';

export interface OrbitFingerprint extends Fingerprint {
  /** The states the orbit holds (|G| over the renamings that leave this one as it is). */
  readonly orbit: number;
}

/** A fragment with its section: what is hashed under each renaming. */
type Part = string;

const SECTIONS = [NODES, EDGES, REST, TAIL];

/** The state's fragments, each headed by its section's number (so one multiset holds them all). */
function partsOf(sections: StateSections, storageKey: string): Part[] {
  const parts: Part[] = [];
  for (const f of sections.nodes) parts.push(`0${f}`);
  for (const f of sections.edges) parts.push(`1${f}`);
  for (const f of sections.rest) parts.push(`2${f}`);
  parts.push(`3${sections.tail}\u0000${storageKey}`);
  return parts;
}

/** What one renaming makes of a part, hashed. */
function partHash(part: Part, renaming: Renaming): Fingerprint {
  const section = SECTIONS[part.charCodeAt(0) - 48]!;
  if (section !== TAIL) return hash64(renameText(part.slice(1), renaming), section);
  const [tail, storage] = part.slice(1).split('\u0000') as [string, string];
  const entries = storage === '' ? [] : storage.split(',').map((s) => renameText(s, renaming));
  return hash64(`${renameText(tail, renaming)}|${entries.sort().join(',')}`, section);
}

interface Known {
  /** The state's parts, by number. */
  readonly parts: readonly number[];
  /** Under each renaming k, the sum's hi and lo at 2k and 2k + 1. */
  readonly sums: Uint32Array;
}

/** Per group: each part's number, each part's hashes under every renaming, and each state's sums (by snapshot, then storage key). */
interface GroupCache {
  readonly numbers: Map<Part, number>;
  /** By part number: hi and lo under renaming k at 2k and 2k + 1. */
  readonly hashes: Uint32Array[];
  readonly states: WeakMap<object, Map<string, Known>>;
}

const caches = new WeakMap<Symmetry, GroupCache>();

function cacheOf(sym: Symmetry): GroupCache {
  let found = caches.get(sym);
  if (!found) caches.set(sym, (found = { numbers: new Map(), hashes: [], states: new WeakMap() }));
  return found;
}

/** The part's number; a new part is renamed and hashed under every renaming once. */
function numberOf(sym: Symmetry, cache: GroupCache, part: Part): number {
  let n = cache.numbers.get(part);
  if (n === undefined) {
    n = cache.hashes.length;
    const hashes = new Uint32Array(2 * sym.renamings.length);
    sym.renamings.forEach((renaming, k) => {
      const h = partHash(part, renaming);
      hashes[2 * k] = h.hi;
      hashes[2 * k + 1] = h.lo;
    });
    cache.hashes.push(hashes);
    cache.numbers.set(part, n);
  }
  return n;
}

/** The parts of `now` not in `before` (added) and of `before` not in `now` (removed), as multisets. */
function difference(before: readonly number[], now: readonly number[]): { added: number[]; removed: number[] } {
  const count = new Map<number, number>();
  for (const p of before) count.set(p, (count.get(p) ?? 0) + 1);
  const added: number[] = [];
  for (const p of now) {
    const c = count.get(p) ?? 0;
    if (c > 0) count.set(p, c - 1);
    else added.push(p);
  }
  const removed: number[] = [];
  for (const [p, c] of count) for (let i = 0; i < c; i++) removed.push(p);
  return { added, removed };
}

function sumsOf(cache: GroupCache, parts: readonly number[], from: Known | undefined, width: number): Uint32Array {
  const { added, removed } = from ? difference(from.parts, parts) : { added: parts, removed: [] };
  const sums = from ? from.sums.slice() : new Uint32Array(width);
  for (const p of added) {
    const h = cache.hashes[p]!;
    for (let i = 0; i < width; i++) sums[i] = sums[i]! + h[i]!;
  }
  for (const p of removed) {
    const h = cache.hashes[p]!;
    for (let i = 0; i < width; i++) sums[i] = sums[i]! - h[i]!;
  }
  return sums;
}

function known(sym: Symmetry, cache: GroupCache, state: WorldState, from: Known | undefined): Known {
  let byStorage = cache.states.get(state.graph);
  if (!byStorage) cache.states.set(state.graph, (byStorage = new Map()));
  let found = byStorage.get(state.storage.key);
  if (!found) {
    const parts = partsOf(stateSections(state), state.storage.key).map((part) => numberOf(sym, cache, part));
    found = { parts, sums: sumsOf(cache, parts, from, 2 * sym.renamings.length) };
    byStorage.set(state.storage.key, found);
  }
  return found;
}

/** The fingerprint of the state's orbit and the orbit's size (`from`: the state it was reached from, if known). */
export function symmetricFingerprint(sym: Symmetry, state: WorldState, from?: WorldState): OrbitFingerprint {
  const cache = cacheOf(sym);
  const parent = from ? cache.states.get(from.graph)?.get(from.storage.key) : undefined;
  const { sums } = known(sym, cache, state, parent);
  let hi = sums[0]!;
  let lo = sums[1]!;
  let fixed = 0;
  for (let i = 0; i < sums.length; i += 2) {
    const h = sums[i]!;
    const l = sums[i + 1]!;
    if (h === sums[0] && l === sums[1]) fixed++;
    if (h < hi || (h === hi && l < lo)) {
      hi = h;
      lo = l;
    }
  }
  return { hi, lo, orbit: sym.renamings.length / fixed };
}
