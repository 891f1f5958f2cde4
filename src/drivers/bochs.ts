/**
 * The `bochs` format driver (block/bochs.c): read-only (bdrv_apply_auto_read_only() before its
 * file child), no .bdrv_reopen_prepare. qemu-img cannot create its images: none is simulated, so
 * every file below it is refused by the header check.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageFile, requireReadOnly } from './image-format.js';

/** bochs_open(): read-only, then the magic ("Bochs Virtual HD Image"). */
function openBochs(host: DriverOpenHost, _options: BlockdevOptions): void {
  requireReadOnly(host);
  openImageFile(host);
  fail(msg.imageNotInFormat('Bochs'));
}

export const bochs = imageFormatDriver({
  name: 'bochs',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: null,
  open: openBochs,
});
