/**
 * The `host_cdrom` protocol driver (block/file-posix.c: cdrom_open()): host_device's twin for
 * CD-ROM drives (opened O_NONBLOCK, so that no disc need be in); on anything but a device it is
 * refused in the same words (src/drivers/host-device.ts).
 */
import { deviceDriver } from './host-device.js';

export const hostCdrom = deviceDriver('host_cdrom');
