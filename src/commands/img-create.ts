/**
 * bdrv_img_create() (block.c), as drive-mirror, drive-backup and blockdev-snapshot-sync call it
 * unless mode=existing: the format found by name, its create options (drv->create_opts) taking a
 * backing file where given one, then the format's own create (.bdrv_co_create_opts) and the image
 * made in the storage's memory (nothing is written). Then the caller opens it: `imageOptions()`.
 */
import type { Tx } from '../core/tx-state.js';
import { DRIVERS, driverNamed } from '../drivers/registry.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { rulesOf } from '../models/rules.js';
import { BLOCKDEV_DRIVERS } from '../qapi/block-schema.js';
import { FORMAT_FACTS, isDiskFormat } from '../storage/image-formats.js';
import { firstBlock } from '../storage/status-run.js';
import type { BlockdevOptions } from '../drivers/driver.js';
import { createImageFile } from '../core/written-images.js';

/** The drivers with create options (drv->create_opts) in the daemons' builds. */
const CREATES: ReadonlySet<string> = new Set([
  'file', 'host_device', 'host_cdrom', 'raw', 'qcow2', 'qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'luks',
  'nbd', 'nvme', 'ssh', 'nfs', 'rbd', 'iscsi', 'gluster',
]);
/** Those whose create options name a backing file and its format. */
const TAKES_BACKING: ReadonlySet<string> = new Set(['qcow2', 'qcow', 'qed', 'vmdk']);
/** Those whose .bdrv_co_create_opts only opens what exists (bdrv_co_create_opts_simple()). */
const OPENS_EXISTING: ReadonlySet<string> = new Set(['host_device', 'host_cdrom', 'nbd', 'nvme']);

export interface ImageToCreate {
  readonly filename: string;
  /** The format by its driver's name, as the command gave it. */
  readonly format: string;
  /** The guest size asked for, in bytes. */
  readonly size: number;
  /** The backing file the header is to name, and its format (the backing node's driver). */
  readonly backing?: { readonly file: string; readonly format: string };
}

/** bdrv_co_create_opts_simple(): the image must exist and open with this protocol driver. */
function openExisting(tx: Tx, driver: string, filename: string): string {
  if (driver === 'nbd') return msg.nbdFilenameNotNbd();
  const facts = tx.env.storage.inspect(filename);
  if ('error' in facts) return msg.couldNotOpen(filename, facts.error);
  return msg.notDevice(driver, filename);
}

/** The format's own create (.bdrv_co_create_opts) before the image is made. */
function formatCreate(tx: Tx, image: ImageToCreate): void {
  const { format, backing } = image;
  if (format === 'vmdk' && backing && backing.format !== 'vmdk') fail(msg.vmdkBackingNotVmdk());
  if (format === 'luks') fail(msg.luksKeySecretRequired());
  if (OPENS_EXISTING.has(format)) {
    const why = openExisting(tx, format, image.filename);
    fail(rulesOf(tx.g.model).qapiRelease >= 1000 ? msg.protocolCannotCreate10(format, why) : msg.protocolCannotCreate(format, why));
  }
}

export function createImage(tx: Tx, image: ImageToCreate): void {
  const { format, backing } = image;
  if (!(BLOCKDEV_DRIVERS as readonly string[]).includes(format)) fail(msg.unknownFileFormat(format));
  if (!CREATES.has(format)) fail(msg.creationNotSupported(format));
  if (backing && !TAKES_BACKING.has(format)) fail(msg.backingNotSupported(format));
  if (backing?.file === image.filename) fail(msg.backingSameAsImage());
  formatCreate(tx, image);
  const disk = format === 'file' ? 'raw' : format;
  if (!isDiskFormat(disk)) fail(msg.driverNotSimulated(format, [...CREATES].filter((f) => isDiskFormat(f === 'file' ? 'raw' : f))));
  createImageFile(tx, image.filename, {
    format: disk,
    virtualSize: FORMAT_FACTS[disk].virtualSize(image.size),
    ...(backing ? { backingFile: backing.file, backingFormat: backing.format } : {}),
  }, disk === 'raw' ? firstBlock(FORMAT_FACTS[disk].virtualSize(image.size)) : undefined);
}

/**
 * The options an image file is opened with in `format` (a protocol driver opens the file itself);
 * `noBacking`: without the backing file its header names (BDRV_O_NO_BACKING).
 */
export function imageOptions(tx: Tx, format: string, filename: string, nodeName: string | undefined, noBacking = true): BlockdevOptions {
  const named = nodeName !== undefined ? { 'node-name': nodeName } : {};
  if (format === 'file') return { driver: 'file', ...named, filename };
  const backing = noBacking && driverNamed(tx.env.drivers ?? DRIVERS, format)?.supportsBacking ? { backing: null } : {};
  return { driver: format, ...named, file: { driver: 'file', filename }, ...backing };
}
