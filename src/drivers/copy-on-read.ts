/**
 * The `copy-on-read` filter (block/copy-on-read.c): its file child filtered; reads are written
 * back, so it takes write-unchanged while active. It has no .bdrv_reopen_prepare.
 */
import type { PermPair } from '../perms/cumulative.js';
import { Perm, PERM_ALL, type PermSet } from '../perms/perm.js';
import { opt, req, str } from '../qapi/schema.js';
import type { ChildPermInput } from './default-perms.js';
import type { BlockDriver, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/**
 * cor_child_perm(): CR, W and RS pass; WU is taken even when the filter is read-only, but not
 * while it is inactive (its child cannot give it then).
 */
function corChildPerm({ perm, shared, parent }: ChildPermInput): PermPair {
  const passthrough: PermSet = Perm.CONSISTENT_READ | Perm.WRITE | Perm.RESIZE;
  return {
    perm: (perm & passthrough) | (parent.inactive ? 0 : Perm.WRITE_UNCHANGED),
    shared: ((shared & passthrough) | Perm.WRITE_UNCHANGED) & PERM_ALL,
  };
}

/** cor_open(): the file child, filtered. */
function openCor(host: DriverOpenHost): void {
  host.attachFile(Role.FILTERED | Role.PRIMARY);
}

export const copyOnRead: BlockDriver = {
  name: 'copy-on-read',
  members: ({ ref }) => [req('file', ref), opt('bottom', str)],
  holdsFd: false,
  childPerm: corChildPerm,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  open: openCor,
};
