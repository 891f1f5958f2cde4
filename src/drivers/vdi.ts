/** The `vdi` format driver (block/vdi.c): no backing, reopened as it is, never resized. */
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageOf, type ImageBelow } from './image-format.js';

/** VDI_DISK_SIZE_MAX: the largest disk vdi_open() takes. */
const DISK_SIZE_MAX = '1fffff8000000';

/**
 * The signature field (offset 64) of images of other formats as qemu-img 7.2 writes them; zero
 * elsewhere. In a vpc image it is the footer's checksum, which covers the creation time: the
 * value here is one such image's, and another's differs.
 */
const SIGNATURES: Readonly<Record<string, string>> = { vmdk: '00000080', vpc: 'e7ecffff' };

/**
 * vdi_open(): the disk size (offset 368) is checked before the signature; a qcow2 image's
 * header extension text ("efcounts"…) stands there, unless a backing format extension moved it on.
 */
function refusal(below: ImageBelow): string {
  if (below.format === 'qcow2' && below.header?.backingFormat === undefined) return msg.vdiUnsupportedSize('73746e756f636665', DISK_SIZE_MAX);
  return msg.vdiBadSignature(SIGNATURES[below.format] ?? '00000000');
}

function openVdi(host: DriverOpenHost, _options: BlockdevOptions): void {
  openImageOf(host, 'vdi', refusal);
}

export const vdi = imageFormatDriver({
  name: 'vdi',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: [],
  open: openVdi,
});
