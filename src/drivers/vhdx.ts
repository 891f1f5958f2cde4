/** The `vhdx` format driver (block/vhdx.c): no backing, reopened as it is, never resized. */
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageOf } from './image-format.js';

/**
 * vhdx_open(): without the file signature it fails with EINVAL and no text of its own, so
 * bdrv_open_driver() names the file.
 */
function openVhdx(host: DriverOpenHost, _options: BlockdevOptions): void {
  openImageOf(host, 'vhdx', () => msg.couldNotOpen(host.filename, 'Invalid argument'));
}

export const vhdx = imageFormatDriver({
  name: 'vhdx',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: [],
  open: openVhdx,
});
