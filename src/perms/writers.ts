import { Perm, type PermSet } from './perm.js';

/** Perms that need a writable node: the generic read-only check of bdrv_node_refresh_perm(). */
export const WRITE_PERMS: PermSet = Perm.WRITE | Perm.WRITE_UNCHANGED;

/** Perms that make file-posix want an O_RDWR descriptor (raw_reconfigure_getfd(): RESIZE counts). */
export const FD_WRITE_PERMS: PermSet = Perm.WRITE | Perm.WRITE_UNCHANGED | Perm.RESIZE;

/**
 * Resize without write: on a read-only node the only perm that passes the generic read-only check
 * and still makes file-posix want an O_RDWR descriptor (with auto-read-only).
 */
export function resizesOnly(perm: PermSet): boolean {
  return (perm & Perm.RESIZE) !== 0 && (perm & WRITE_PERMS) === 0;
}

/** Does this cumulative perm count as a writer for a node that follows its writers? */
export function hasWriters(holdsFd: boolean, perm: PermSet): boolean {
  return (perm & (holdsFd ? FD_WRITE_PERMS : WRITE_PERMS)) !== 0;
}
