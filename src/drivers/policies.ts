/**
 * One policy per driver: what it asks of each child (the driver's .bdrv_child_perm callback) and
 * whether it holds a file descriptor of its own (file-posix).
 */
import { Perm, PERM_ALL, type PermSet } from '../perms/perm.js';
import type { PermPair } from '../perms/cumulative.js';
import type { DriverName } from '../graph/types.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';

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

export const DRIVERS: Readonly<Record<DriverName, DriverPolicy>> = {
  file: { name: 'file', holdsFd: true },
  'null-co': { name: 'null-co', holdsFd: false },
  raw: { name: 'raw', holdsFd: false, childPerm: rawChildPerm },
  qcow2: { name: 'qcow2', holdsFd: false, childPerm: defaultPerms },
  throttle: { name: 'throttle', holdsFd: false, childPerm: defaultPerms },
  'copy-on-read': { name: 'copy-on-read', holdsFd: false, childPerm: corChildPerm },
};

export function driverPolicy(name: DriverName): DriverPolicy {
  return DRIVERS[name];
}
