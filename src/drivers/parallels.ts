/**
 * The `parallels` format driver (block/parallels.c): supports_backing is set, though its images
 * name none and its QAPI variant has no `backing`; no .bdrv_reopen_prepare, so a node of it is
 * never reopened; never resized.
 */
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageOf } from './image-format.js';

/** parallels_open(): the magic ("WithoutFreeSpace" or its extended form). */
function openParallels(host: DriverOpenHost, _options: BlockdevOptions): void {
  openImageOf(host, 'parallels', () => msg.imageNotInFormat('Parallels'));
  // opened read-write, the header is marked in use (parallels_update_header()): 7.2 writes the
  // header's 68 bytes, 10.0 its whole first 4 KiB
  if (!host.readOnly) host.wroteFile(host.rules.qapiRelease >= 1000 ? 4096 : 68);
}

export const parallels = imageFormatDriver({
  name: 'parallels',
  members: genericFormatMembers,
  supportsBacking: true,
  reopen: null,
  open: openParallels,
});
