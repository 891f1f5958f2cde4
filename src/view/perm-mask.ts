/** render_block_graph.py's permission mask: `w`, `r`, `u`, `s` in that order, `_` for an absent bit (src/perms/perm.ts). */
export { permMask } from '../perms/perm.js';
