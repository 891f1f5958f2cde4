/**
 * The `vmdk` format driver (block/vmdk.c): a monolithicSparse image, whose one extent is the file
 * child itself (BDRV_CHILD_IMAGE); its descriptor may name a parent, its backing file (vmdk).
 * Descriptor files with extents of their own (monolithicFlat and the like) are not simulated.
 */
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericCowFormatMembers, imageFormatDriver, openImageOf } from './image-format.js';

/**
 * vmdk_open(): vmdk_read_desc() wants four bytes at least; without the sparse magic the file is
 * read as a descriptor, which names no createType (vmdk_open_desc_file()); vmdk_parent_open()
 * takes the parentFileNameHint as a vmdk backing file.
 */
function openVmdk(host: DriverOpenHost, _options: BlockdevOptions): void {
  const header = openImageOf(host, 'vmdk', (below) => (below.size < 4 ? msg.vmdkFileTooSmall() : msg.vmdkInvalidDescriptor()));
  if (header.backingFile !== undefined) host.nameBacking({ backingFile: header.backingFile, backingFormat: 'vmdk' });
}

export const vmdk = imageFormatDriver({
  name: 'vmdk',
  members: genericCowFormatMembers,
  supportsBacking: true,
  reopen: [],
  open: openVmdk,
});
