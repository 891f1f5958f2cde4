/**
 * A state's fingerprint up to a universe's symmetry group, as fast as a plain one: under each
 * renaming of the group, the sum of its renamed fragments' hashes section by section (the same
 * multiset hash as stateFingerprint()), the least of those sums being the orbit's fingerprint.
 * Two states of one orbit have the same set of sums (a renaming of a renaming is in the group),
 * so the same least one; states of two orbits share it only by a 64-bit collision. Each renamed
 * fragment's hash is remembered by its text, so a state costs |G| sums of fragment hashes
 * already known, and a fragment the command changed is renamed and hashed |G| times.
 */
import { EDGES, type Fingerprint, hash64, NODES, REST, TAIL } from './state-hash.js';
import type { Symmetry } from './symmetry.js';
import { renameText, stateSections, type Renaming } from './symmetry-text.js';
import type { WorldState } from './world.js';

export interface OrbitFingerprint extends Fingerprint {
  /** The states the orbit holds (|G| over the renamings that leave this one as it is). */
  readonly orbit: number;
}

/** Each renaming's hashes of fragments by text, and section. */
type HashCache = Map<string, Fingerprint>[];

const caches = new WeakMap<Symmetry, HashCache[]>();

function cachesOf(sym: Symmetry): HashCache[] {
  let found = caches.get(sym);
  if (!found) caches.set(sym, (found = sym.renamings.map(() => [NODES, EDGES, REST, TAIL].map(() => new Map<string, Fingerprint>()))));
  return found;
}

function sectionSum(fragments: readonly string[], renaming: Renaming, section: number, cache: Map<string, Fingerprint>, into: { hi: number; lo: number }): void {
  for (const text of fragments) {
    let h = cache.get(text);
    if (!h) cache.set(text, (h = hash64(renameText(text, renaming), section)));
    into.hi = (into.hi + h.hi) >>> 0;
    into.lo = (into.lo + h.lo) >>> 0;
  }
}

/** The fingerprint of the state's orbit, and the orbit's size. */
export function symmetricFingerprint(sym: Symmetry, state: WorldState): OrbitFingerprint {
  const sections = stateSections(state);
  const all = cachesOf(sym);
  let least: Fingerprint | undefined;
  let own: Fingerprint | undefined;
  let fixed = 0;
  sym.renamings.forEach((renaming, k) => {
    const caches = all[k]!;
    const sum = { hi: 0, lo: 0 };
    sectionSum(sections.nodes, renaming, NODES, caches[0]!, sum);
    sectionSum(sections.edges, renaming, EDGES, caches[1]!, sum);
    sectionSum(sections.rest, renaming, REST, caches[2]!, sum);
    const storage = sections.storage.map((s) => renameText(s, renaming)).sort().join(',');
    sectionSum([`${renameText(sections.tail, renaming)}|${storage}`], new Map(), TAIL, caches[3]!, sum);
    own ??= sum;
    if (sum.hi === own.hi && sum.lo === own.lo) fixed++;
    if (!least || sum.hi < least.hi || (sum.hi === least.hi && sum.lo < least.lo)) least = sum;
  });
  return { hi: least!.hi, lo: least!.lo, orbit: sym.renamings.length / fixed };
}
