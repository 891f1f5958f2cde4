/**
 * Whether a refusal is a permission update's (block.c: bdrv_refresh_perms() and what it calls):
 * the one way blk_insert_bs() fails, so that its BlockBackend never held the node. The texts are
 * msg.permissionConflict, nodeReadOnly, readOnlyWithWriters, lockFailed, sharedLockFailed and
 * permUnavailableOnInactive (test/unit/permission-refusals.test.ts holds them to it).
 */
const PERMISSION_REFUSAL = /^(Permission conflict on node '|Block node is read-only$|Read-only block node '|Failed to get (shared )?".*" lock$|Permission '.*' unavailable on inactive node$)/;

export const isPermissionRefusal = (desc: string): boolean => PERMISSION_REFUSAL.test(desc);
