/**
 * The `replication` filter (block/replication.c, COLO): its file child filtered, in the primary
 * or the secondary role. It reads its child and, while writable, writes it; it shares consistent
 * read and writes, never resize. No .bdrv_reopen_prepare: it cannot be reopened.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { Perm } from '../perms/perm.js';
import { enumOf, opt, req, str } from '../qapi/schema.js';
import type { ChildPermInput } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/**
 * replication_child_perm(): consistent read of the primary child, write whenever the node is
 * read-write and active; consistent read, write and write-unchanged shared.
 */
function replicationChildPerm({ role, parentWritable }: ChildPermInput): PermPair {
  const read = role & Role.PRIMARY ? Perm.CONSISTENT_READ : 0;
  return {
    perm: read | (parentWritable ? Perm.WRITE : 0),
    shared: Perm.CONSISTENT_READ | Perm.WRITE | Perm.WRITE_UNCHANGED,
  };
}

/** replication_open(): the file child, then the mode and its top-id. */
function openReplication(host: DriverOpenHost, options: BlockdevOptions): void {
  host.attachFile(Role.FILTERED | Role.PRIMARY);
  const topId = options['top-id'];
  if (options['mode'] === 'primary' && topId !== undefined) fail(msg.replicationPrimaryTopId());
  if (options['mode'] === 'secondary' && topId === undefined) fail(msg.replicationMissingTopId());
}

export const replication: BlockDriver = {
  name: 'replication',
  members: ({ ref }) => [req('file', ref), req('mode', enumOf('ReplicationMode', ['primary', 'secondary'])), opt('top-id', str)],
  holdsFd: false,
  childPerm: replicationChildPerm,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  open: openReplication,
  // replication_strong_runtime_opts
  strongOptions: ['mode', 'top-id'],
};
