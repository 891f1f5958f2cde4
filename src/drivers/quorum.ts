/**
 * The `quorum` driver (block/quorum.c): reads and writes go to all of its `children.N`, and a
 * read's result is what vote-threshold of them agree on. It shares no writes or resizes of its
 * children (they would drift apart); x-blockdev-change adds and removes children
 * (src/commands/blockdev-change.ts).
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { Perm } from '../perms/perm.js';
import { bool, enumOf, int, listOf, opt, req, type Member } from '../qapi/schema.js';
import type { ChildPermInput } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, BlockdevRefs, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/** BlockdevOptionsQuorum. */
const members = ({ ref }: BlockdevRefs): readonly Member[] => [
  opt('blkverify', bool),
  req('children', listOf(ref)),
  req('vote-threshold', int),
  opt('rewrite-corrupted', bool),
  opt('read-pattern', enumOf('QuorumReadPattern', ['quorum', 'fifo'])),
];

/** rewrite-corrupted counts only with read-pattern quorum (quorum_open()). */
export const rewritesCorrupted = (options: BlockdevOptions): boolean => options['read-pattern'] !== 'fifo' && options['rewrite-corrupted'] === true;
/** blkverify mode counts only with read-pattern quorum (quorum_open()). */
export const inBlkverifyMode = (options: BlockdevOptions): boolean => options['read-pattern'] !== 'fifo' && options['blkverify'] === true;

/**
 * quorum_child_perm(): the parents' perm passed on (DEFAULT_PERM_PASSTHROUGH is all), write too
 * when corrupted reads are rewritten; only consistent read and write-unchanged shared.
 */
function quorumChildPerm({ perm, shared, parent }: ChildPermInput): PermPair {
  return {
    perm: perm | (rewritesCorrupted(parent.options) ? Perm.WRITE : 0),
    shared: shared & (Perm.CONSISTENT_READ | Perm.WRITE_UNCHANGED),
  };
}

/** quorum_open()'s checks of its options, before any child is opened. */
function checkOptions(options: BlockdevOptions, count: number): void {
  if (count < 1) fail(msg.quorumNoChildren());
  const threshold = BigInt(options['vote-threshold'] as number | bigint);
  if (threshold < 1n) fail(msg.invalidParameterValue('vote-threshold', 'a value >= 1'));
  if (threshold > BigInt(count)) fail(msg.quorumThresholdTooHigh());
  if (inBlkverifyMode(options) && (count !== 2 || threshold !== 2n)) fail(msg.quorumBlkverifyShape());
  if (inBlkverifyMode(options) && rewritesCorrupted(options)) fail(msg.quorumRewriteWithBlkverify());
}

/** quorum_open(): the options checked, then each child opened as data, in order; then its length, all children's. */
function openQuorum(host: DriverOpenHost, options: BlockdevOptions): void {
  const children = options['children'] as readonly unknown[];
  checkOptions(options, children.length);
  const sizes = children.map((ref, i) => host.openChild(ref, `children.${i}`, Role.DATA));
  // quorum_getlength(): children of different lengths answer EIO, which refresh_total_sectors() reports
  if (sizes.some((size) => size !== sizes[0])) fail(msg.refreshTotalSectorsFailed('Input/output error'));
  host.size = sizes[0]!;
}

export const quorum: BlockDriver = {
  name: 'quorum',
  members,
  holdsFd: false,
  childPerm: quorumChildPerm,
  isFilter: false,
  supportsBacking: false,
  reopen: null,
  open: openQuorum,
  // quorum_strong_runtime_opts
  strongOptions: ['vote-threshold', 'blkverify', 'rewrite-corrupted', 'read-pattern'],
};
