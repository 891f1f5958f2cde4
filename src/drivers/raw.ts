/**
 * The `raw` format driver (block/raw-format.c): its file's bytes as they are, or a slice of them
 * (offset and size); over the whole file it is a pass-through, and the header below shows.
 */
import { fail, failErrno } from '../messages/errors.js';
import { STRERROR } from '../messages/strerror.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { Perm, type PermSet } from '../perms/perm.js';
import { exactInt, opt, req } from '../qapi/schema.js';
import { INT64_MAX } from '../util/qobject.js';
import { checkSizeOptions } from './qemu-opts.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost, TruncateStep } from './driver.js';
import { Role } from './roles.js';

/** raw_child_perm(): the default rule, but W and RS only when its own parents want them. */
function rawChildPerm(input: ChildPermInput): PermPair {
  const base = defaultPerms(input);
  const passOn: PermSet = Perm.WRITE | Perm.RESIZE;
  return { perm: (base.perm & ~passOn) | (input.perm & passOn), shared: base.shared };
}

/**
 * raw_read_options() and raw_apply_options(): offset and size through QemuOpts (checked in the
 * order QEMU's QDict lists them), then against the file's size.
 */
function openRaw(host: DriverOpenHost, options: BlockdevOptions): void {
  checkSizeOptions(host, options, ['offset', 'size']);
  // raw_open(): with an offset other than 0 or a size it is no filter, but a data child
  const slice = BigInt((options['offset'] as number | bigint | undefined) ?? 0) !== 0n || options['size'] !== undefined;
  host.attachFile(slice ? Role.DATA | Role.PRIMARY : Role.FILTERED | Role.PRIMARY);
  const offset = BigInt((options['offset'] as number | bigint | undefined) ?? 0);
  const fileSize = BigInt(host.size);
  if (offset > fileSize) fail(msg.offsetBeyondFile(offset, fileSize));
  const given = options['size'] as number | bigint | undefined;
  const size = given === undefined ? fileSize - offset : BigInt(given);
  if (given !== undefined && fileSize - offset < size) fail(msg.sliceBeyondFile(offset, size, fileSize));
  if (given !== undefined && size % 512n !== 0n) fail(msg.sizeNotSectorMultiple());
  host.size = Number(size);
}

/** raw_co_truncate(): only a raw node without a fixed size, its offset added. */
function truncateRaw(options: BlockdevOptions, size: bigint): TruncateStep {
  if (options['size'] !== undefined) failErrno(msg.fixedSizeRaw(), STRERROR.ENOTSUP);
  const offset = BigInt((options['offset'] as number | bigint | undefined) ?? 0);
  if (INT64_MAX - size < offset) failErrno(msg.diskTooLargeForOffset(), STRERROR.EINVAL);
  return { fileSize: size + offset };
}

export const raw: BlockDriver = {
  truncate: truncateRaw,
  name: 'raw',
  members: ({ ref }) => [req('file', ref), opt('offset', exactInt), opt('size', exactInt)],
  holdsFd: false,
  childPerm: rawChildPerm,
  isFilter: false,
  supportsBacking: false,
  reopen: ['offset', 'size'],
  open: openRaw,
  passesHeader: (options) => options['offset'] === undefined,
  strongOptions: ['offset', 'size'],
};
