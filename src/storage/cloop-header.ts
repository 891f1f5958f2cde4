/**
 * A cloop image has no magic: block/cloop.c's cloop_open() reads the block size and block count
 * at offset 128 (big-endian) and the block offsets after them. A raw file whose first bytes make a
 * header cloop_open() accepts is a cloop image here (one written by hand, byte by byte, with
 * qemu-io in a setup); every other file stays what it was.
 */

/** cloop.c: MAX_BLOCK_SIZE. */
const MAX_BLOCK_SIZE = 64 * 1024 * 1024;
/** The most blocks read here (the offsets must lie in the bytes the storage keeps). */
const MAX_BLOCKS = 64;

/** The size the guest sees of a valid cloop header in the bytes `byte(at)` gives, or undefined. */
export function cloopVirtualSize(byte: (at: number) => number): number | undefined {
  const be32 = (at: number): number => ((byte(at) << 24) | (byte(at + 1) << 16) | (byte(at + 2) << 8) | byte(at + 3)) >>> 0;
  const blockSize = be32(128);
  const blocks = be32(132);
  if (blockSize === 0 || blockSize % 512 !== 0 || blockSize > MAX_BLOCK_SIZE || blocks === 0 || blocks > MAX_BLOCKS) return undefined;
  // the offsets (64-bit) must not decrease; the ones here are kept small: only their low words count
  let last = 0;
  for (let i = 0; i <= blocks; i++) {
    if (be32(136 + 8 * i) !== 0) return undefined;
    const offset = be32(140 + 8 * i);
    if (offset < last || offset - last > 2 * MAX_BLOCK_SIZE) return undefined;
    last = offset;
  }
  return blockSize * blocks;
}
