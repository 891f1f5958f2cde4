import { Perm, type PermSet } from './perm.js';

/** Perms that need a writable node: the generic read-only check of bdrv_node_refresh_perm(). */
export const WRITE_PERMS: PermSet = Perm.WRITE | Perm.WRITE_UNCHANGED;

/** Perms that make file-posix want an O_RDWR descriptor (raw_reconfigure_getfd(): RESIZE counts). */
export const FD_WRITE_PERMS: PermSet = Perm.WRITE | Perm.WRITE_UNCHANGED | Perm.RESIZE;

/** Does this cumulative perm count as a writer for a node that follows its writers? */
export function hasWriters(holdsFd: boolean, perm: PermSet): boolean {
  return (perm & (holdsFd ? FD_WRITE_PERMS : WRITE_PERMS)) !== 0;
}
