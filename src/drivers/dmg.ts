/**
 * The `dmg` format driver (block/dmg.c): read-only (bdrv_apply_auto_read_only() before its file
 * child), no .bdrv_reopen_prepare. qemu-img cannot create its images: none is simulated, so every
 * file below it is refused by the trailer search.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageFile, requireReadOnly } from './image-format.js';

/** dmg_open() via dmg_find_koly_offset(): a file of 512 bytes at least, with a "koly" trailer. */
function openDmg(host: DriverOpenHost, _options: BlockdevOptions): void {
  requireReadOnly(host);
  const below = openImageFile(host);
  fail(below.size < 512 ? msg.dmgTooSmall() : msg.dmgNoTrailer());
}

export const dmg = imageFormatDriver({
  name: 'dmg',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: null,
  open: openDmg,
});
