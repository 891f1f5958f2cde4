/**
 * `copy-before-write` (block/copy-before-write.c): the filter a backup job puts above its source
 * (its `file` child), copying old data to the target before a write. Only the job makes one
 * here; it cannot be reopened, and names itself after its file child.
 */
import type { PermPair } from '../perms/cumulative.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockDriver } from './driver.js';
import { Role } from './roles.js';

/**
 * cbw_child_perm(): the target is written and shared except for resize; the source gets the
 * default rule, plus consistent read (under a writer only, in QEMU 7.2), write for a backup that
 * discards its source (`x-discard-source`, BDRV_O_CBW_DISCARD_SOURCE in QEMU), and no write or
 * resize shared once the filter has parents.
 */
function cbwChildPerm(input: ChildPermInput): PermPair {
  if (!(input.role & Role.FILTERED)) return { perm: Perm.WRITE, shared: PERM_ALL & ~Perm.RESIZE };
  const base = defaultPerms(input);
  if (input.parent.parents.length === 0) return base;
  const read = input.rules.cbwSourceTakesRead || input.perm & Perm.WRITE;
  return {
    perm: base.perm | (read ? Perm.CONSISTENT_READ : 0) | (input.parent.options['x-discard-source'] === true ? Perm.WRITE : 0),
    shared: base.shared & ~(Perm.WRITE | Perm.RESIZE),
  };
}

export const copyBeforeWrite: BlockDriver = {
  name: 'copy-before-write',
  holdsFd: false,
  childPerm: cbwChildPerm,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  refreshesFilename: true,
};
