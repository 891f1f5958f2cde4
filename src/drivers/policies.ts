/**
 * One policy per driver: what it asks of each child (the driver's .bdrv_child_perm callback) and
 * whether it holds a file descriptor of its own (file-posix).
 */
import { Perm, PERM_ALL, type PermSet } from '../perms/perm.js';
import type { PermPair } from '../perms/cumulative.js';
import type { DriverName } from '../graph/types.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import { Role } from './roles.js';

export interface DriverPolicy {
  readonly name: DriverName;
  /** A protocol driver with its own descriptor (file-posix): the fd follows its writers. */
  readonly holdsFd: boolean;
  /** Protocol drivers have no children and no callback. */
  readonly childPerm?: (input: ChildPermInput) => PermPair;
}

/** raw_child_perm(): the default rule, but W and RS only when its own parents want them. */
function rawChildPerm(input: ChildPermInput): PermPair {
  const base = defaultPerms(input);
  const passOn: PermSet = Perm.WRITE | Perm.RESIZE;
  return { perm: (base.perm & ~passOn) | (input.perm & passOn), shared: base.shared };
}

/** cor_child_perm(): CR, W and RS pass; WU is always taken (even when the filter is read-only). */
function corChildPerm({ perm, shared }: ChildPermInput): PermPair {
  const passthrough: PermSet = Perm.CONSISTENT_READ | Perm.WRITE | Perm.RESIZE;
  return {
    perm: (perm & passthrough) | Perm.WRITE_UNCHANGED,
    shared: ((shared & passthrough) | Perm.WRITE_UNCHANGED) & PERM_ALL,
  };
}

/** bdrv_commit_top_child_perm(): the commit filter takes nothing and shares everything. */
function commitTopChildPerm(): PermPair {
  return { perm: 0, shared: PERM_ALL };
}

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

/**
 * cbw_child_perm(): the target is written and shared except for resize; the source gets the
 * default rule, plus consistent read under a writer and no write or resize shared once the
 * filter has parents.
 */
function cbwChildPerm(input: ChildPermInput): PermPair {
  if (!(input.role & Role.FILTERED)) return { perm: Perm.WRITE, shared: PERM_ALL & ~Perm.RESIZE };
  const base = defaultPerms(input);
  if (input.parent.parents.length === 0) return base;
  return {
    perm: base.perm | (input.perm & Perm.WRITE ? Perm.CONSISTENT_READ : 0),
    shared: base.shared & ~(Perm.WRITE | Perm.RESIZE),
  };
}

/** A policy for every driver: the table the core looks drivers up in. */
export type DriverPolicies = Readonly<Record<DriverName, DriverPolicy>>;

export const DRIVERS: DriverPolicies = {
  file: { name: 'file', holdsFd: true },
  'null-co': { name: 'null-co', holdsFd: false },
  raw: { name: 'raw', holdsFd: false, childPerm: rawChildPerm },
  qcow2: { name: 'qcow2', holdsFd: false, childPerm: defaultPerms },
  throttle: { name: 'throttle', holdsFd: false, childPerm: defaultPerms },
  'copy-on-read': { name: 'copy-on-read', holdsFd: false, childPerm: corChildPerm },
  commit_top: { name: 'commit_top', holdsFd: false, childPerm: commitTopChildPerm },
  mirror_top: { name: 'mirror_top', holdsFd: false, childPerm: mirrorTopChildPerm },
  'copy-before-write': { name: 'copy-before-write', holdsFd: false, childPerm: cbwChildPerm },
};

/** Drivers with `is_filter` set in QEMU 7.2: their one child is what they filter. */
export const FILTER_DRIVERS: ReadonlySet<DriverName> = new Set<DriverName>(['throttle', 'copy-on-read', 'commit_top', 'mirror_top', 'copy-before-write']);

/** Drivers without a .bdrv_reopen_prepare in QEMU 7.2: no node of theirs can be reopened. */
export const UNREOPENABLE_DRIVERS: ReadonlySet<DriverName> = new Set<DriverName>(['copy-on-read', 'commit_top', 'mirror_top', 'copy-before-write']);

/** Drivers with `supports_backing` set in QEMU 7.2, of the simulated ones. */
export const BACKING_DRIVERS: ReadonlySet<DriverName> = new Set<DriverName>(['qcow2']);

export function driverPolicy(name: DriverName): DriverPolicy {
  return DRIVERS[name];
}
