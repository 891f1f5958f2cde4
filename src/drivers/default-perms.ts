/**
 * bdrv_default_perms() and its three rules (block.c): what a node-parent asks of a child by the
 * child's role, given the parent's own cumulative perm and shared.
 */
import { Perm, PERM_ALL, type PermSet } from '../perms/perm.js';
import type { BlockNode } from '../graph/types.js';
import type { PermPair } from '../perms/cumulative.js';
import { Role } from './roles.js';
import type { ModelRules } from '../models/rules.js';

export interface ChildPermInput {
  /** The parent node's cumulative perm and shared. */
  readonly perm: PermSet;
  readonly shared: PermSet;
  readonly role: number;
  /** The parent node is writable (after the pending reopen, if any): not read-only, not inactive. */
  readonly parentWritable: boolean;
  readonly edgeName: string;
  /** The parent node itself (for drivers whose rule depends on its state). */
  readonly parent: BlockNode;
  /** The model's rules (for drivers whose rule changed between QEMU versions). */
  readonly rules: ModelRules;
}

/** bdrv_filter_default_perms(): PASSTHROUGH is ALL and UNCHANGED is none, so an identity. */
export function filterPerms({ perm, shared }: ChildPermInput): PermPair {
  return { perm, shared };
}

/** An inactive parent lets others write and resize the child (it does neither itself). */
const INACTIVE_SHARES: PermSet = Perm.WRITE | Perm.RESIZE;

/** bdrv_default_perms_for_cow(): only consistent read reaches a backing file. */
export function cowPerms({ perm, shared, parent }: ChildPermInput): PermPair {
  return {
    perm: perm & Perm.CONSISTENT_READ,
    shared:
      (shared & Perm.WRITE ? Perm.WRITE | Perm.RESIZE : 0) |
      Perm.CONSISTENT_READ |
      Perm.WRITE_UNCHANGED |
      (parent.inactive ? INACTIVE_SHARES : 0),
  };
}

/** bdrv_default_perms_for_storage(): metadata and data children of format drivers. */
export function storagePerms(input: ChildPermInput): PermPair {
  let { perm, shared } = filterPerms(input);
  if (input.role & Role.METADATA) {
    if (input.parentWritable) perm |= Perm.WRITE | Perm.RESIZE;
    perm |= Perm.CONSISTENT_READ;
    shared &= ~(Perm.WRITE | Perm.RESIZE);
  }
  if (input.role & Role.DATA) {
    shared &= ~Perm.RESIZE;
    if (perm & Perm.WRITE_UNCHANGED) perm |= Perm.WRITE;
    if (perm & Perm.WRITE) perm |= Perm.RESIZE;
  }
  if (input.parent.inactive) shared |= INACTIVE_SHARES;
  return { perm: perm & PERM_ALL, shared: shared & PERM_ALL };
}

/** bdrv_default_perms(): dispatch on the role. */
export function defaultPerms(input: ChildPermInput): PermPair {
  if (input.role & Role.FILTERED) return filterPerms(input);
  if (input.role & Role.COW) return cowPerms(input);
  if (input.role & (Role.DATA | Role.METADATA)) return storagePerms(input);
  return filterPerms(input);
}
