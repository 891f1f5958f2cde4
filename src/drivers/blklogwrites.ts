/**
 * The `blklogwrites` filter (block/blklogwrites.c): its `file` child filtered, every write also
 * logged to its `log` child (metadata: written and resized, as a format's image file is).
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { bool, opt, req, uint32, uint64, type Member } from '../qapi/schema.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, BlockdevRefs, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/** BlockdevOptionsBlklogwrites. */
const members = ({ ref }: BlockdevRefs): readonly Member[] => [
  req('file', ref),
  req('log', ref),
  opt('log-sector-size', uint32),
  opt('log-append', bool),
  opt('log-super-update-interval', uint64),
];

/** blk_log_writes_child_perm(): bdrv_default_perms() for each child, by its role. */
const blkLogWritesChildPerm = (input: ChildPermInput): PermPair => defaultPerms(input);

/** blk_log_writes_sector_size_valid(): a power of two, of at least 32 bytes (the log entry), below 16 MiB. */
const sectorSizeValid = (size: bigint): boolean => size > 0n && (size & (size - 1n)) === 0n && size >= 32n && size < 1n << 24n;

/**
 * blk_log_writes_open(): the file child, the log child, then the log's geometry. Appending to a
 * log reads its superblock: an empty log has none yet; permgraph writes no log, so any other
 * holds no valid one.
 */
function openBlkLogWrites(host: DriverOpenHost, options: BlockdevOptions): void {
  host.attachFile(Role.FILTERED | Role.PRIMARY);
  const logSize = host.openChild(options['log'], 'log', Role.METADATA);
  const sectorSize = options['log-sector-size'];
  if (options['log-append'] === true) {
    if (sectorSize !== undefined) fail(msg.logAppendWithSectorSize());
    if (logSize !== 0) fail(msg.logSuperblockMagic());
  }
  const size = BigInt((sectorSize as number | bigint | undefined) ?? 512);
  if (!sectorSizeValid(size)) fail(msg.logSectorSize(size.toString()));
  const interval = options['log-super-update-interval'];
  if (interval !== undefined && BigInt(interval as number | bigint) === 0n) fail(msg.logUpdateInterval('0'));
}

export const blklogwrites: BlockDriver = {
  name: 'blklogwrites',
  members,
  holdsFd: false,
  childPerm: blkLogWritesChildPerm,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  open: openBlkLogWrites,
  // blk_log_writes_strong_runtime_opts
  strongOptions: ['log-append', 'log-sector-size'],
};
