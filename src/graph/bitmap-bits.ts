/**
 * A dirty bitmap's bits (util/hbitmap.c): where they are set, as byte ranges in whole granules of
 * the bitmap's granularity; how many bytes they count (hbitmap_count(): set granules times the
 * granularity, the last one whole); and the SHA-256 of the last level (hbitmap_sha256(): its
 * unsigned longs as an x86-64 host keeps them, little-endian).
 */
import { sha256OfBytes, sha256OfZeros } from '../util/sha256.js';
import type { DirtyBitmap } from './bitmap-types.js';

export type ByteRange = readonly [number, number];

/** The ranges in whole granules (each widened to the granules it touches, within the bitmap), merged. */
export function inGranules(ranges: readonly ByteRange[], granularity: number, size: number): ByteRange[] {
  const end = Math.ceil(size / granularity) * granularity;
  const out: [number, number][] = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const start = Math.floor(from / granularity) * granularity;
    const stop = Math.min(Math.ceil(to / granularity) * granularity, end);
    if (stop <= start) continue;
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], stop);
    else out.push([start, stop]);
  }
  return out;
}

/** The bytes the ranges cover. */
export const bytesIn = (ranges: readonly ByteRange[]): number => ranges.reduce((sum, [from, to]) => sum + to - from, 0);

/** bdrv_get_dirty_count(): the bytes its set granules cover. */
export const dirtyCount = (bitmap: DirtyBitmap): number => bytesIn(bitmap.dirty ?? []);

/** The bitmap with the bits of `ranges` set as well (hbitmap_merge() of another granularity). */
export function withBitsSet(bitmap: DirtyBitmap, ranges: readonly ByteRange[]): DirtyBitmap {
  const dirty = inGranules([...(bitmap.dirty ?? []), ...ranges], bitmap.granularity, bitmap.size);
  const { dirty: _, ...rest } = bitmap;
  return dirty.length ? { ...rest, dirty } : rest;
}

/** The bitmap with every bit clear. */
export function cleared(bitmap: DirtyBitmap): DirtyBitmap {
  const { dirty: _, ...rest } = bitmap;
  return rest;
}

/** hbitmap_sha256(): the last level's longs (at least one), each bit a granule. */
export function bitmapSha256(bitmap: DirtyBitmap): string {
  const bits = Math.ceil(bitmap.size / bitmap.granularity);
  const bytes = Math.max(Math.ceil(bits / 64), 1) * 8;
  if (!bitmap.dirty?.length) return sha256OfZeros(bytes);
  const level = new Uint8Array(bytes);
  for (const [from, to] of bitmap.dirty) {
    for (let bit = from / bitmap.granularity; bit < to / bitmap.granularity; bit++) level[bit >> 3]! |= 1 << (bit & 7);
  }
  return sha256OfBytes(level);
}
