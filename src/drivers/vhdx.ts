/** The `vhdx` format driver (block/vhdx.c): no backing, reopened as it is, never resized. */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageFile } from './image-format.js';

/**
 * vhdx_open(): without the file signature it fails with EINVAL and no text of its own, so
 * bdrv_open_driver() names the file.
 */
function openVhdx(host: DriverOpenHost, _options: BlockdevOptions): void {
  const below = openImageFile(host);
  if (below.format !== 'vhdx' || !below.header) fail(msg.couldNotOpen(host.filename, 'Invalid argument'));
  host.size = below.header.virtualSize;
}

export const vhdx = imageFormatDriver({
  name: 'vhdx',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: [],
  open: openVhdx,
});
