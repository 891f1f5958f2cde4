/**
 * `mirror_top` (block/mirror.c): the filter a mirror (or active commit) job puts above its
 * source, over its `backing` child. Only the job makes one; it cannot be reopened, and names
 * itself after its child.
 */
import type { PermPair } from '../perms/cumulative.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockDriver } from './driver.js';

/**
 * bdrv_mirror_top_child_perm(): nothing once the job is stopping; else the default rule, and for
 * active commit no consistent read and write shared (or the job would block itself at the base).
 */
function mirrorTopChildPerm(input: ChildPermInput): PermPair {
  if (input.parent.options['x-stopping'] === true) return { perm: 0, shared: PERM_ALL };
  const base = defaultPerms(input);
  if (input.parent.options['x-is-commit'] !== true) return base;
  return { perm: base.perm & ~Perm.CONSISTENT_READ, shared: base.shared | Perm.WRITE };
}

export const mirrorTop: BlockDriver = {
  name: 'mirror_top',
  holdsFd: false,
  childPerm: mirrorTopChildPerm,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  refreshesFilename: true,
};
