/**
 * `commit_top` (block/commit.c): the filter a commit job puts above its top, over its `backing`
 * child. Only the job makes one; it cannot be reopened, and names itself after its child.
 */
import type { PermPair } from '../perms/cumulative.js';
import { PERM_ALL } from '../perms/perm.js';
import type { BlockDriver } from './driver.js';

/** bdrv_commit_top_child_perm(): the commit filter takes nothing and shares everything. */
function commitTopChildPerm(): PermPair {
  return { perm: 0, shared: PERM_ALL };
}

export const commitTop: BlockDriver = {
  name: 'commit_top',
  holdsFd: false,
  childPerm: commitTopChildPerm,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  refreshesFilename: true,
};
