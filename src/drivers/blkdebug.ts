/**
 * The `blkdebug` filter (block/blkdebug.c): its `image` child (its bs->file) filtered, with
 * errors injected by rules; it may take or unshare more of its child than the default rule does.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { QMP_PERM_NAMES } from '../perms/perm.js';
import { bool, enumOf, int, int32, listOf, opt, req, str, struct, type Member } from '../qapi/schema.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, BlockdevRefs, DriverOpenHost } from './driver.js';
import { BLKDEBUG_EVENTS } from './blkdebug-events.js';
import { checkSizeOptions } from './qemu-opts.js';
import { Role } from './roles.js';

const event = enumOf('BlkdebugEvent', BLKDEBUG_EVENTS);
const permission = enumOf('BlockPermission', QMP_PERM_NAMES);
const ioType = enumOf('BlkdebugIOType', ['read', 'write', 'write-zeroes', 'discard', 'flush', 'block-status']);

/** BlockdevOptionsBlkdebug. */
const members = ({ ref }: BlockdevRefs): readonly Member[] => [
  req('image', ref),
  opt('config', str),
  opt('align', int),
  ...['max-transfer', 'opt-write-zero', 'max-write-zero', 'opt-discard', 'max-discard'].map((name) => opt(name, int32)),
  opt(
    'inject-error',
    listOf(struct(req('event', event), opt('state', int), opt('iotype', ioType), opt('errno', int), opt('sector', int), opt('once', bool), opt('immediately', bool))),
  ),
  opt('set-state', listOf(struct(req('event', event), opt('state', int), req('new_state', int)))),
  opt('take-child-perms', listOf(permission)),
  opt('unshare-child-perms', listOf(permission)),
];

/** The limits blkdebug_open() reads as QemuOpts sizes, in its order. */
const LIMITS = ['max-transfer', 'opt-write-zero', 'max-write-zero', 'opt-discard', 'max-discard'] as const;
const INT_MAX = 2n ** 31n - 1n;

/** bdrv_qapi_perm_to_blk_perm() of a BlockPermission list. */
const permsOf = (list: unknown): number =>
  ((list as readonly string[] | undefined) ?? []).reduce((bits, name) => bits | (1 << QMP_PERM_NAMES.indexOf(name as (typeof QMP_PERM_NAMES)[number])), 0);

/** blkdebug_child_perm(): the default rule, then take-child-perms taken and unshare-child-perms unshared. */
function blkdebugChildPerm(input: ChildPermInput): PermPair {
  const base = defaultPerms(input);
  const { options } = input.parent;
  return { perm: base.perm | permsOf(options['take-child-perms']), shared: base.shared & ~permsOf(options['unshare-child-perms']) };
}

const sizeOf = (options: BlockdevOptions, key: string): bigint => BigInt((options[key] as number | bigint | undefined) ?? 0);

/**
 * blkdebug_open()'s limits: align a power of two below INT_MAX; each other limit below INT_MAX
 * and a multiple of the alignment (the child's request alignment is one byte here), the max ones
 * of their opt ones too.
 */
function checkLimits(options: BlockdevOptions): void {
  const align = sizeOf(options, 'align');
  if (align !== 0n && (align >= INT_MAX || (align & (align - 1n)) !== 0n)) fail(msg.blkdebugConstraint('align', align.toString()));
  const atLeast = align > 1n ? align : 1n;
  const unit: Record<(typeof LIMITS)[number], bigint> = {
    'max-transfer': atLeast,
    'opt-write-zero': atLeast,
    'max-write-zero': sizeOf(options, 'opt-write-zero') > atLeast ? sizeOf(options, 'opt-write-zero') : atLeast,
    'opt-discard': atLeast,
    'max-discard': sizeOf(options, 'opt-discard') > atLeast ? sizeOf(options, 'opt-discard') : atLeast,
  };
  for (const key of LIMITS) {
    const value = sizeOf(options, key);
    if (value !== 0n && (value >= INT_MAX || value % unit[key] !== 0n)) fail(msg.blkdebugConstraint(key, value.toString()));
  }
}

/** blkdebug_open(): its options as QemuOpts, the config file, the image child, then the limits. */
function openBlkdebug(host: DriverOpenHost, options: BlockdevOptions): void {
  checkSizeOptions(host, options, ['align', ...LIMITS]);
  const config = options['config'] as string | undefined;
  const unreadable = config === undefined ? null : host.openError(config, 'O_RDONLY');
  if (unreadable) fail(msg.blkdebugConfigUnreadable(unreadable));
  host.openChild(options['image'], 'image', Role.FILTERED | Role.PRIMARY);
  checkLimits(options);
}

/** The options blkdebug_refresh_filename() lets a `blkdebug:CONFIG:IMAGE` filename stand for. */
const STRONG = ['config', 'inject-error.', 'set-state.', 'align', 'max-transfer', 'opt-write-zero', 'max-write-zero', 'opt-discard', 'max-discard'];

/** blkdebug_refresh_filename(): `blkdebug:CONFIG:IMAGE` when the image has an exact filename and no option but config was given. */
function blkdebugFilename(options: BlockdevOptions, exactOf: (edge: string) => string | undefined): string | undefined {
  const image = exactOf('image');
  if (image === undefined) return undefined;
  if (STRONG.some((key) => key !== 'config' && options[key.replace(/\.$/, '')] !== undefined)) return undefined;
  return `blkdebug:${(options['config'] as string | undefined) ?? ''}:${image}`;
}

export const blkdebug: BlockDriver = {
  name: 'blkdebug',
  members,
  holdsFd: false,
  childPerm: blkdebugChildPerm,
  isFilter: true,
  supportsBacking: false,
  // blkdebug_reopen_prepare() accepts every reopen; no option of its may change
  reopen: [],
  open: openBlkdebug,
  filenameOf: blkdebugFilename,
  refreshesFilename: true,
  strongOptions: STRONG,
};
