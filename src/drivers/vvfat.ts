/**
 * The `vvfat` protocol driver (block/vvfat.c): a host directory shown as a FAT disk, read-only.
 * Its virtual size is the disk's geometry (a 32 MiB or 504 MiB hard disk, a 1.44 or 2.88 MiB
 * floppy); the directory must be one opendir() can read. With `rw` on a node opened read-write
 * QEMU adds a write target, a qcow image in a temporary file of the host (enable_write_target():
 * the child `write-target`, asked consistent read and write by vvfat_child_perm(), sharing write
 * unchanged only); its name is random, so permgraph refuses that in its own words. Whether the
 * directory's files fit on the disk (init_directories()'s capacity) is not checked. Where the
 * disk shows each entry is kept (src/drivers/vvfat-map.ts): a job's read of a file's clusters
 * leaves that file open.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';
import { QAPI_ONLY_BLOCKDEV_VARIANTS } from './qapi-only-variants.js';
import { vvfatMap } from './vvfat-map.js';

/** vvfat_open(): the disk's sectors, by FAT type (0: the default) and floppy. */
export function vvfatSectors(fatType: number, floppy: boolean): number {
  if (floppy) return 80 * 2 * (fatType === 12 ? 18 : 36);
  return (fatType === 12 ? 64 : 1024) * 16 * 63;
}

/** vvfat_open(): the label, the FAT type, `rw` or the read-only check, then the directory. */
function openVvfat(host: DriverOpenHost, options: BlockdevOptions): void {
  const label = options['label'];
  // strlen(): the label's UTF-8 bytes
  if (typeof label === 'string' && new TextEncoder().encode(label).length > 11) fail(msg.vvfatLabelTooLong());
  // qemu_opt_get_number() into an int
  const fatType = options['fat-type'] === undefined ? 0 : Number(BigInt.asIntN(32, BigInt(options['fat-type'] as number)));
  const floppy = options['floppy'] === true;
  // 0 is the default: FAT12 on a floppy, FAT16 on a disk
  if (![0, 12, 16, 32].includes(fatType)) fail(msg.vvfatFatType());
  if (options['rw'] === true) {
    // bdrv_is_read_only(): the node's read-only option (auto-read-only leaves it read-write here)
    fail(options['read-only'] === true ? msg.vvfatRwReadOnly() : msg.vvfatWriteTargetNotSimulated());
  }
  // bdrv_apply_auto_read_only(bs, NULL, …)
  if (!host.degradeToReadOnly()) fail(msg.imageReadOnly());
  const dir = options['dir'] as string;
  if (host.directoryError(dir) !== null) fail(msg.vvfatCannotReadDirectory(dir));
  host.size = vvfatSectors(fatType, floppy) * 512;
  host.mapDirectory(vvfatMap(dir, host.listDirectory(dir), fatType, floppy));
}

export const vvfat: BlockDriver = {
  name: 'vvfat',
  members: QAPI_ONLY_BLOCKDEV_VARIANTS['vvfat'],
  holdsFd: false,
  isFilter: false,
  supportsBacking: false,
  // no .bdrv_reopen_prepare
  reopen: null,
  open: openVvfat,
  // vvfat_strong_runtime_opts
  strongOptions: ['dir', 'fat-type', 'floppy', 'label', 'rw'],
};
