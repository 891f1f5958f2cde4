/**
 * A dirty bitmap's bits: ranges in whole granules, their count, and hbitmap_sha256() of them
 * (hashes from qemu-storage-daemon 7.2 and 10.0.2: corpus bitmaps-backup-always).
 */
import { describe, expect, it } from 'vitest';
import { bitmapSha256, cleared, dirtyCount, inGranules, withBitsSet } from '../../src/graph/bitmap-bits.js';
import type { DirtyBitmap } from '../../src/graph/types.js';

const KiB = 1024;
const bitmap = (granularity: number): DirtyBitmap => ({ name: 'b', size: 1024 * KiB, granularity, persistent: false, disabled: false, readonly: false });

describe('a bitmap with bits set', () => {
  it('widens ranges to whole granules within the bitmap, merged', () => {
    expect(inGranules([[1, 2], [70 * KiB, 130 * KiB]], 64 * KiB, 1000 * KiB)).toEqual([[0, 192 * KiB]]);
    expect(inGranules([[960 * KiB, 2048 * KiB]], 64 * KiB, 1000 * KiB)).toEqual([[960 * KiB, 1024 * KiB]]);
    expect(inGranules([[0, 0]], 64 * KiB, 1000 * KiB)).toEqual([]);
  });

  it('counts its set granules and hashes them as QEMU does', () => {
    const b1 = withBitsSet(bitmap(128 * KiB), [[512 * KiB, 1024 * KiB]]);
    expect(dirtyCount(b1)).toBe(512 * KiB);
    expect(bitmapSha256(b1)).toBe('59fbe83123db45a66db30617ef9c0022e9175d1086b77ae2c5917396ef7f4e31');
    const b2 = withBitsSet(bitmap(64 * KiB), b1.dirty ?? []);
    expect(bitmapSha256(b2)).toBe('0f71f9a25a25859858721371cd3b079477a0030586423cef3329dc5c49e465d5');
    expect(bitmapSha256(cleared(b2))).toBe('af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc');
    expect(cleared(b2)).not.toHaveProperty('dirty');
  });
});
