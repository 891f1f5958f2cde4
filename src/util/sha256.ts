/**
 * SHA-256 (FIPS 180-4): of a run of zero bytes without holding them (what QEMU's hbitmap_sha256()
 * hashes for a bitmap with no bit set: its last level, all zero longs), or of given bytes.
 */
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** One 64-byte block (16 big-endian words) into the state. */
function compress(state: Uint32Array, block: Uint32Array): void {
  const w = new Uint32Array(64);
  w.set(block);
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(w[i - 15]!, 7) ^ rotr(w[i - 15]!, 18) ^ (w[i - 15]! >>> 3);
    const s1 = rotr(w[i - 2]!, 17) ^ rotr(w[i - 2]!, 19) ^ (w[i - 2]! >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
  let [a, b, c, d, e, f, g, h] = state as unknown as number[] as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
  }
  [a, b, c, d, e, f, g, h].forEach((v, i) => (state[i] = (state[i]! + v) >>> 0));
}

/** The hex SHA-256 of `length` zero bytes, or of `bytes` where given (then `length` is theirs). */
function sha256(length: number, bytes?: Uint8Array): string {
  const state = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const zero = new Uint32Array(16);
  const whole = Math.floor(length / 64);
  const view = bytes && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < whole; i++) compress(state, view ? Uint32Array.from({ length: 16 }, (_, w) => view.getUint32(64 * i + 4 * w)) : zero);
  // the tail: what is left of the bytes, the 0x80 marker and the length in bits
  const rest = length % 64;
  const tail = new Uint8Array(rest + 9 <= 64 ? 64 : 128);
  if (bytes) tail.set(bytes.subarray(64 * whole));
  tail[rest] = 0x80;
  const bits = BigInt(length) * 8n;
  for (let i = 0; i < 8; i++) tail[tail.length - 1 - i] = Number((bits >> BigInt(8 * i)) & 0xffn);
  const tailView = new DataView(tail.buffer);
  for (let off = 0; off < tail.length; off += 64) {
    compress(state, Uint32Array.from({ length: 16 }, (_, i) => tailView.getUint32(off + 4 * i)));
  }
  return [...state].map((v) => v.toString(16).padStart(8, '0')).join('');
}

/** The hex SHA-256 of `length` zero bytes, without holding them. */
export const sha256OfZeros = (length: number): string => sha256(length);

/** The hex SHA-256 of `bytes`. */
export const sha256OfBytes = (bytes: Uint8Array): string => sha256(bytes.length, bytes);
