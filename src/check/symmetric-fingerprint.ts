/**
 * A state's fingerprint up to a universe's symmetry group: under each renaming of the group, the
 * sum of its renamed fragments' hashes section by section (the same multiset hash as
 * stateFingerprint()), the least of those sums being the orbit's fingerprint. Two states of one
 * orbit have the same set of sums (a renaming of a renaming is in the group), so the same least
 * one; states of two orbits share it only by a 64-bit collision.
 *
 * Cost: each renamed fragment's hash is remembered by its text, and a state's |G| sums are
 * remembered for its snapshot; given the state it was reached from, each sum is the parent's with
 * the fragments the command changed taken out and put in, so a state costs |G| times the few
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
  readonly parts: Part[];
  readonly sums: { hi: number; lo: number }[];
}

/** Per group: each renaming's part hashes, and each state's sums (by snapshot, then storage key). */
interface GroupCache {
  readonly hashes: Map<Part, Fingerprint>[];
  readonly states: WeakMap<object, Map<string, Known>>;
}

const caches = new WeakMap<Symmetry, GroupCache>();

function cacheOf(sym: Symmetry): GroupCache {
  let found = caches.get(sym);
  if (!found) caches.set(sym, (found = { hashes: sym.renamings.map(() => new Map()), states: new WeakMap() }));
  return found;
}

function hashUnder(cache: GroupCache, sym: Symmetry, k: number, part: Part): Fingerprint {
  const hashes = cache.hashes[k]!;
  let h = hashes.get(part);
  if (!h) hashes.set(part, (h = partHash(part, sym.renamings[k]!)));
  return h;
}

/** The parts of `now` not in `before` (added) and of `before` not in `now` (removed), as multisets. */
function difference(before: readonly Part[], now: readonly Part[]): { added: Part[]; removed: Part[] } {
  const count = new Map<Part, number>();
  for (const p of before) count.set(p, (count.get(p) ?? 0) + 1);
  const added: Part[] = [];
  for (const p of now) {
    const c = count.get(p) ?? 0;
    if (c > 0) count.set(p, c - 1);
    else added.push(p);
  }
  const removed: Part[] = [];
  for (const [p, c] of count) for (let i = 0; i < c; i++) removed.push(p);
  return { added, removed };
}

function sumsOf(sym: Symmetry, cache: GroupCache, parts: Part[], from: Known | undefined): Known['sums'] {
  const { added, removed } = from ? difference(from.parts, parts) : { added: parts, removed: [] };
  return sym.renamings.map((_, k) => {
    const sum = from ? { ...from.sums[k]! } : { hi: 0, lo: 0 };
    for (const p of added) {
      const h = hashUnder(cache, sym, k, p);
      sum.hi = (sum.hi + h.hi) >>> 0;
      sum.lo = (sum.lo + h.lo) >>> 0;
    }
    for (const p of removed) {
      const h = hashUnder(cache, sym, k, p);
      sum.hi = (sum.hi - h.hi) >>> 0;
      sum.lo = (sum.lo - h.lo) >>> 0;
    }
    return sum;
  });
}

function known(sym: Symmetry, cache: GroupCache, state: WorldState, from: Known | undefined): Known {
  let byStorage = cache.states.get(state.graph);
  if (!byStorage) cache.states.set(state.graph, (byStorage = new Map()));
  let found = byStorage.get(state.storage.key);
  if (!found) {
    const parts = partsOf(stateSections(state), state.storage.key);
    found = { parts, sums: sumsOf(sym, cache, parts, from) };
    byStorage.set(state.storage.key, found);
  }
  return found;
}

/** The fingerprint of the state's orbit and the orbit's size (`from`: the state it was reached from, if known). */
export function symmetricFingerprint(sym: Symmetry, state: WorldState, from?: WorldState): OrbitFingerprint {
  const cache = cacheOf(sym);
  const parent = from ? cache.states.get(from.graph)?.get(from.storage.key) : undefined;
  const { sums } = known(sym, cache, state, parent);
  const own = sums[0]!;
  let least = own;
  let fixed = 0;
  for (const sum of sums) {
    if (sum.hi === own.hi && sum.lo === own.lo) fixed++;
    if (sum.hi < least.hi || (sum.hi === least.hi && sum.lo < least.lo)) least = sum;
  }
  return { hi: least.hi, lo: least.lo, orbit: sym.renamings.length / fixed };
}
