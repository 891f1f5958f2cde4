/**
 * The `preallocate` filter (block/preallocate.c): its file child filtered, grown ahead of writes
 * in steps of prealloc-size; while it may write and resize it keeps both to itself.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { Perm } from '../perms/perm.js';
import { int, opt, req, type Member } from '../qapi/schema.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, BlockdevRefs, DriverOpenHost } from './driver.js';
import { checkSizeOptions } from './qemu-opts.js';
import { Role } from './roles.js';

const BDRV_SECTOR_SIZE = 512n;

/** BlockdevOptionsPreallocate: BlockdevOptionsGenericFormat's `file`, then its own. */
const members = ({ ref }: BlockdevRefs): readonly Member[] => [req('file', ref), opt('prealloc-align', int), opt('prealloc-size', int)];

/**
 * preallocate_child_perm(): the default rule; while the filter's parents write and resize it takes
 * both itself and shares neither, so that its idea of the file's end stays true.
 */
function preallocateChildPerm(input: ChildPermInput): PermPair {
  const base = defaultPerms(input);
  const writeResize = Perm.WRITE | Perm.RESIZE;
  if ((input.perm & writeResize) !== writeResize) return base;
  return { perm: base.perm | writeResize, shared: base.shared & ~writeResize };
}

/**
 * preallocate_absorb_opts(): the sizes, read as QemuOpts sizes; prealloc-align a whole number of
 * sectors (the child's request alignment, a sector at most here, follows from it).
 */
function absorbOptions(host: DriverOpenHost, options: BlockdevOptions): void {
  checkSizeOptions(host, options, ['prealloc-align', 'prealloc-size']);
  const refusal = alignmentRefusal(options);
  if (refusal) fail(refusal);
}

function alignmentRefusal(options: BlockdevOptions): string | null {
  const align = BigInt((options['prealloc-align'] as number | bigint | undefined) ?? 1n << 20n);
  return align % BDRV_SECTOR_SIZE === 0n ? null : msg.preallocateAlignment(Number(BDRV_SECTOR_SIZE));
}

/** preallocate_open(): the file child, then its options. */
function openPreallocate(host: DriverOpenHost, options: BlockdevOptions): void {
  host.attachFile(Role.FILTERED | Role.PRIMARY);
  absorbOptions(host, options);
}

export const preallocate: BlockDriver = {
  name: 'preallocate',
  members,
  holdsFd: false,
  childPerm: preallocateChildPerm,
  isFilter: true,
  supportsBacking: false,
  // no mutable_opts, but preallocate_reopen_prepare() takes its options anew
  reopen: [],
  reopenAbsorbs: ['prealloc-align', 'prealloc-size'],
  reopenPrepare: (_node, _readWrite, options) => alignmentRefusal(options),
  open: openPreallocate,
  // preallocate_co_truncate(): the file child takes the new size
  truncate: (_options, size) => ({ fileSize: size }),
};
