/** render_block_graph.py's permission mask: `w`, `r`, `u`, `s` in that order, `_` for an absent bit. */
import { Perm, type PermSet } from '../perms/perm.js';

export function permMask(set: PermSet): string {
  return [
    set & Perm.WRITE ? 'w' : '_',
    set & Perm.CONSISTENT_READ ? 'r' : '_',
    set & Perm.WRITE_UNCHANGED ? 'u' : '_',
    set & Perm.RESIZE ? 's' : '_',
  ].join('');
}
