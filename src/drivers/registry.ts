/**
 * The driver table: every driver permgraph knows, one file each, in one table. What the core asks
 * of drivers as a group (the filters, the drivers that take a backing, those that cannot be
 * reopened, those it simulates) is derived from it, never listed again.
 */
import type { DriverName } from '../graph/types.js';
import type { Member } from '../qapi/schema.js';
import { commitTop } from './commit-top.js';
import { copyBeforeWrite } from './copy-before-write.js';
import { copyOnRead } from './copy-on-read.js';
import type { BlockDriver, BlockdevRefs } from './driver.js';
import { file } from './file.js';
import { mirrorTop } from './mirror-top.js';
import { nbd } from './nbd.js';
import { blkdebug } from './blkdebug.js';
import { blklogwrites } from './blklogwrites.js';
import { blkverify } from './blkverify.js';
import { compress } from './compress.js';
import { quorum } from './quorum.js';
import { hostCdrom } from './host-cdrom.js';
import { hostDevice } from './host-device.js';
import { nullAio } from './null-aio.js';
import { nullCo } from './null-co.js';
import { preallocate } from './preallocate.js';
import { replication } from './replication.js';
import { snapshotAccess } from './snapshot-access.js';
import { qcow2 } from './qcow2.js';
import { raw } from './raw.js';
import { throttle } from './throttle.js';
import { QAPI_ONLY_BLOCKDEV_VARIANTS } from './qapi-only-variants.js';
import { bochs } from './bochs.js';
import { cloop } from './cloop.js';
import { dmg } from './dmg.js';
import { luks } from './luks.js';
import { parallels } from './parallels.js';
import { qcow } from './qcow.js';
import { qed } from './qed.js';
import { vdi } from './vdi.js';
import { vhdx } from './vhdx.js';
import { vmdk } from './vmdk.js';
import { vpc } from './vpc.js';
import { vvfat } from './vvfat.js';

/** A driver's entry in the table (the name the table had when it held only policies). */
export type DriverPolicy = BlockDriver;

/** A driver for every driver name: the table the core looks drivers up in. */
export type DriverPolicies = Readonly<Record<DriverName, BlockDriver>>;

export const DRIVERS: DriverPolicies = {
  file,
  'null-co': nullCo,
  raw,
  qcow2,
  throttle,
  'copy-on-read': copyOnRead,
  commit_top: commitTop,
  mirror_top: mirrorTop,
  'copy-before-write': copyBeforeWrite,
  nbd,
  'null-aio': nullAio,
  preallocate,
  compress,
  'snapshot-access': snapshotAccess,
  replication,
  host_device: hostDevice,
  host_cdrom: hostCdrom,
  blkdebug,
  blklogwrites,
  blkverify,
  quorum,
  luks,
  qcow,
  qed,
  vmdk,
  vpc,
  vhdx,
  vdi,
  parallels,
  bochs,
  cloop,
  dmg,
  vvfat,
};

/** BlockdevOptions variants of drivers permgraph does not simulate: checked, then refused. */
export const QAPI_ONLY_VARIANTS: Readonly<Record<string, (refs: BlockdevRefs) => readonly Member[]>> = Object.fromEntries(
  Object.entries(QAPI_ONLY_BLOCKDEV_VARIANTS).filter(([name]) => !driverNamed(DRIVERS, name)?.members),
);

const driversWhere = (test: (driver: BlockDriver) => boolean): BlockDriver[] => Object.values(DRIVERS).filter(test);
const namesWhere = (test: (driver: BlockDriver) => boolean): ReadonlySet<DriverName> =>
  new Set(driversWhere(test).map((driver) => driver.name));

/** Drivers with `is_filter` set in QEMU 7.2: their one child is what they filter. */
export const FILTER_DRIVERS = namesWhere((driver) => driver.isFilter);

/** Drivers without a .bdrv_reopen_prepare in QEMU 7.2: no node of theirs can be reopened. */
export const UNREOPENABLE_DRIVERS = namesWhere((driver) => driver.reopen === null);

/** Drivers with `supports_backing` set in QEMU 7.2, of the simulated ones. */
export const BACKING_DRIVERS = namesWhere((driver) => driver.supportsBacking);

/** Drivers the simulator models: those with an open of their own, in the table's order. */
export const SIMULATED_DRIVERS: readonly DriverName[] = driversWhere((driver) => driver.open !== undefined).map((driver) => driver.name);

/** The driver of that name in `drivers`, or undefined: a client's string is no key to trust. */
export function driverNamed(drivers: DriverPolicies, name: string): BlockDriver | undefined {
  return Object.hasOwn(drivers, name) ? drivers[name as DriverName] : undefined;
}

export function driverPolicy(name: DriverName): DriverPolicy {
  return DRIVERS[name];
}
