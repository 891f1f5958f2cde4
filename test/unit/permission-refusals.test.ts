/** Which refusals are a permission update's: what a failed blk_insert_bs() says (src/messages/permission-refusals.ts). */
import { describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/messages.js';
import { isPermissionRefusal } from '../../src/messages/permission-refusals.js';

describe('permission refusals', () => {
  it.each([
    msg.permissionConflict('tgt', 'write', 'an unnamed block device', 'root', 'node m1', 'backing'),
    msg.nodeReadOnly(),
    msg.readOnlyWithWriters('base'),
    msg.lockFailed('write'),
    msg.sharedLockFailed('consistent read'),
    msg.permUnavailableOnInactive('write'),
  ])('%s', (desc) => expect(isPermissionRefusal(desc)).toBe(true));

  it.each([msg.nbdServerNotRunning(), msg.nbdExportNameInUse('e1'), msg.cannotFindDevice('', 'x'), msg.imageReadOnly(), 'Permission denied'])('not: %s', (desc) =>
    expect(isPermissionRefusal(desc)).toBe(false),
  );
});
