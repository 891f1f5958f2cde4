/**
 * The arithmetic of state keys: cyrb53 hashes of texts, seeded by the section a text belongs to,
 * and sums of them modulo 2^53, which give the same for the same fragments in any order.
 */

/** Seeds that keep the sections apart (a fragment counts only in its own section). */
export const NODES = 1;
export const EDGES = 2;
export const REST = 3;
export const TAIL = 4;

/** cyrb53: a fast 53-bit string hash. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 2^53: the hashes' sums are taken modulo this, exactly. */
const HASH_RANGE = 2 ** 53;

/** a + b modulo 2^53, for a and b below it (a - 2^53 + b stays where a double is exact). */
export function addHashes(a: number, b: number): number {
  const sum = a - HASH_RANGE + b;
  return sum < 0 ? sum + HASH_RANGE : sum;
}

export const subtractHash = (a: number, b: number): number => (b === 0 ? a : addHashes(a, HASH_RANGE - b));
