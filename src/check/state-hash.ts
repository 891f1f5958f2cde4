/**
 * The arithmetic of state fingerprints: 64-bit hashes of texts (cyrb53's two 32-bit lanes, seeded
 * by the section a text belongs to), and sums of them lane by lane modulo 2^32, which give the
 * same for the same fragments in any order (an additive multiset hash).
 */

/** Seeds that keep the sections apart (a fragment counts only in its own section). */
export const NODES = 1;
export const EDGES = 2;
export const REST = 3;
export const TAIL = 4;

/** A 64-bit fingerprint as two unsigned 32-bit lanes. */
export interface Fingerprint {
  readonly hi: number;
  readonly lo: number;
}

export const ZERO: Fingerprint = { hi: 0, lo: 0 };

/** cyrb53's mixing, both lanes kept whole: a fast 64-bit string hash. */
export function hash64(text: string, seed = 0): Fingerprint {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { hi: h2 >>> 0, lo: h1 >>> 0 };
}

/** Texts hashed lately, by section: most fragments of a new state are texts other states had. */
const hashed = [NODES, EDGES, REST, TAIL, 0].map(() => new Map<string, Fingerprint>());
const REMEMBERED = 1 << 17;

/** hash64(text, section) for a section's fragment, remembered for the texts seen lately. */
export function fragmentHash64(text: string, section: number): Fingerprint {
  const seen = hashed[section]!;
  let h = seen.get(text);
  if (h === undefined) {
    if (seen.size >= REMEMBERED) seen.clear();
    seen.set(text, (h = hash64(text, section)));
  }
  return h;
}

export const addHashes = (a: Fingerprint, b: Fingerprint): Fingerprint => ({ hi: (a.hi + b.hi) >>> 0, lo: (a.lo + b.lo) >>> 0 });

export const subtractHash = (a: Fingerprint, b: Fingerprint): Fingerprint => ({ hi: (a.hi - b.hi) >>> 0, lo: (a.lo - b.lo) >>> 0 });

/** The fingerprint as one 64-bit number (for tests, maps and checkpoint files). */
export const fingerprintBigInt = (f: Fingerprint): bigint => (BigInt(f.hi) << 32n) | BigInt(f.lo);
