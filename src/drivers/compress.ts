/**
 * The `compress` filter (block/filter-compress.c): its file child filtered, every write made a
 * compressed one; only over a driver that can write compressed data.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { req } from '../qapi/schema.js';
import { defaultPerms } from './default-perms.js';
import type { BlockDriver, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/**
 * block_driver_can_compress(): the drivers with a .bdrv_co_pwritev_compressed(_part) in QEMU 7.2
 * (the formats that write compressed clusters, and the filters that pass such writes on).
 */
const CAN_COMPRESS: ReadonlySet<string> = new Set(['qcow2', 'qcow', 'vmdk', 'throttle', 'copy-on-read']);

/** compress_open(): the file child, then its driver must take compressed writes. */
function openCompress(host: DriverOpenHost): void {
  host.attachFile(Role.FILTERED | Role.PRIMARY);
  const format = host.fileDriver();
  if (!CAN_COMPRESS.has(format)) fail(msg.compressionUnsupported(format));
}

export const compress: BlockDriver = {
  name: 'compress',
  members: ({ ref }) => [req('file', ref)],
  holdsFd: false,
  childPerm: defaultPerms,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  open: openCompress,
};
