/**
 * The `throttle` filter (block/throttle.c): its file child filtered, in a throttle group that
 * object-add must have made.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { req, str } from '../qapi/schema.js';
import { defaultPerms } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/** throttle_open(): the file child, then throttle_configure_tgm() finds the group. */
function openThrottle(host: DriverOpenHost, options: BlockdevOptions): void {
  host.attachFile(Role.FILTERED | Role.PRIMARY);
  const group = options['throttle-group'] as string;
  if (host.objectType(group) !== 'throttle-group') fail(msg.throttleGroupMissing(group));
}

export const throttle: BlockDriver = {
  truncate: (_options, size) => ({ fileSize: size }),
  objectsHeld: (options) => [options['throttle-group'] as string],
  name: 'throttle',
  members: ({ ref }) => [req('throttle-group', str), req('file', ref)],
  holdsFd: false,
  childPerm: defaultPerms,
  isFilter: true,
  supportsBacking: false,
  reopen: ['throttle-group'],
  open: openThrottle,
  strongOptions: ['throttle-group'],
};
