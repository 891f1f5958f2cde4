/**
 * The `snapshot-access` driver (block/snapshot-access.c): reads a copy-before-write filter's
 * snapshot through its `file` child. It asks nothing of that child, shares all, and takes the
 * child's filename as its own. Not a filter; it cannot be reopened.
 */
import type { PermPair } from '../perms/cumulative.js';
import { PERM_ALL, PERM_NONE } from '../perms/perm.js';
import { req } from '../qapi/schema.js';
import type { BlockDriver, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/** snapshot_access_child_perm(): nothing taken, everything shared. */
const snapshotAccessChildPerm = (): PermPair => ({ perm: PERM_NONE, shared: PERM_ALL });

/** snapshot_access_open(): the file child, as data, and its size. */
function openSnapshotAccess(host: DriverOpenHost): void {
  host.attachFile(Role.DATA | Role.PRIMARY);
}

export const snapshotAccess: BlockDriver = {
  name: 'snapshot-access',
  members: ({ ref }) => [req('file', ref)],
  holdsFd: false,
  childPerm: snapshotAccessChildPerm,
  isFilter: false,
  supportsBacking: false,
  reopen: null,
  open: openSnapshotAccess,
  // snapshot_access_refresh_filename(): its file child's filename
  refreshesFilename: true,
};
