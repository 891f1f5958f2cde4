/**
 * The `host_device` protocol driver, and the device drivers' common part (block/file-posix.c: hdev_open(),
 * cdrom_open() in src/drivers/host-cdrom.ts): file-posix on a character or block device. raw_open_common() opens and fstat()s
 * the path as the `file` driver does, then refuses anything but a device. permgraph's storage
 * holds no devices, so each open that gets that far is refused.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { DriverName } from '../graph/types.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';
import { fileMembers } from './file.js';

/** raw_open_common() with device=true: open(2) in the chart's mode, fstat(), then the device check. */
const openDevice =
  (name: DriverName) =>
  (host: DriverOpenHost, options: BlockdevOptions): void => {
    const path = options['filename'] as string;
    const openError = host.openError(path, host.fdMode());
    if (openError) fail(msg.couldNotOpen(path, openError));
    const facts = host.inspect(path);
    if ('error' in facts) fail(msg.couldNotOpen(path, facts.error));
    fail(msg.notDevice(name, path));
  };

/** A file-posix device driver: file's members, reopen and filename; raw_co_truncate(). */
export const deviceDriver = (name: DriverName): BlockDriver => ({
  truncate: () => 'done',
  name,
  members: fileMembers,
  holdsFd: true,
  isFilter: false,
  supportsBacking: false,
  reopen: ['x-check-cache-dropped', 'drop-cache'],
  open: openDevice(name),
  exactFilename: (options) => options['filename'] as string,
  strongOptions: ['filename'],
});

export const hostDevice = deviceDriver('host_device');
