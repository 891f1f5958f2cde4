import { PERM_ALL, type PermSet } from './perm.js';

export interface PermPair {
  readonly perm: PermSet;
  readonly shared: PermSet;
}

/** bdrv_get_cumulative_perm(): OR of the parents' perm, AND of their shared (ALL with no parent). */
export function cumulativePerm(parents: Iterable<PermPair>): PermPair {
  let perm = 0;
  let shared = PERM_ALL;
  for (const p of parents) {
    perm |= p.perm;
    shared &= p.shared;
  }
  return { perm, shared };
}
