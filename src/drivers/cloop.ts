/**
 * The `cloop` format driver (block/cloop.c): read-only (bdrv_apply_auto_read_only() before its
 * file child), no .bdrv_reopen_prepare. qemu-img cannot create its images; one written by hand
 * (src/storage/cloop-header.ts) opens, every other file is refused by the header check.
 */
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageOf, requireReadOnly, type ImageBelow } from './image-format.js';

/**
 * The big-endian word at offset 128 of images of other formats as qemu-img 7.2 writes them; zero
 * elsewhere. In a qcow2 image that names its backing format, the backing format extension moves
 * the feature name table 16 bytes on.
 */
const BLOCK_SIZES: Readonly<Record<string, number>> = { qcow2: 1_651_078_144, 'qcow2+backing': 1_745_090_647, luks: 1_345_869_837 };

/** cloop_open(): no magic, only the block size at offset 128: a multiple of 512, not zero, at most 64 MiB. */
function refusal(below: ImageBelow): string {
  const withBacking = below.format === 'qcow2' && below.header?.backingFormat !== undefined;
  const size = BLOCK_SIZES[withBacking ? 'qcow2+backing' : below.format] ?? 0;
  if (size % 512 !== 0) return msg.cloopBlockSizeNotMultiple(size);
  if (size === 0) return msg.cloopBlockSizeZero();
  return msg.cloopBlockSizeTooLarge(size);
}

function openCloop(host: DriverOpenHost, _options: BlockdevOptions): void {
  requireReadOnly(host);
  openImageOf(host, 'cloop', refusal);
}

export const cloop = imageFormatDriver({
  name: 'cloop',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: null,
  open: openCloop,
});
