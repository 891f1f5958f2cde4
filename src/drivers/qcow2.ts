/**
 * The `qcow2` format driver (block/qcow2.c): its file holds metadata and data; the header gives
 * the size and may name a backing file, which is opened after the node.
 */
import { fail, failErrno } from '../messages/errors.js';
import { STRERROR } from '../messages/strerror.js';
import { msg } from '../messages/messages.js';
import { bool, int, opt, req, since } from '../qapi/schema.js';
import { qcow2Encryption, qcow2OverlapChecks } from './qapi-only-variants.js';
import { defaultPerms } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';
import { checkSizeOptions } from './qemu-opts.js';
import { Role } from './roles.js';
import { truncateQcow2 } from './qcow2-truncate.js';

/** qcow2_open(): the file child, then the header read through it, then the options (qcow2_update_options()). */
function openQcow2(host: DriverOpenHost, options: BlockdevOptions): void {
  host.attachFile(Role.IMAGE);
  const readError = host.readErrorBelowFile();
  if (readError) fail(msg.couldNotReadHeader('qcow2', readError));
  const header = host.headerBelowFile();
  if (header?.format !== 'qcow2') fail(msg.notQcow2());
  checkSizeOptions(host, options, ['cache-size', 'l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size']);
  host.size = header.virtualSize;
  host.nameBacking(header);
}

export const qcow2: BlockDriver = {
  // qcow2_co_truncate(): whole sectors only; a shrink cuts the file after its last cluster in use
  truncate: (_options, size, length, header, fileLength) => {
    if (size % 512n !== 0n) failErrno(msg.qcow2SizeNotSectorMultiple(), STRERROR.EINVAL);
    return truncateQcow2(header, size, length, fileLength);
  },
  name: 'qcow2',
  members: ({ ref, refOrNull }) => [
    req('file', ref),
    opt('backing', refOrNull),
    opt('lazy-refcounts', bool),
    opt('pass-discard-request', bool),
    opt('pass-discard-snapshot', bool),
    opt('pass-discard-other', bool),
    // QEMU 8.2; its refusal on a version 2 image is not simulated (images here are version 3)
    since(1000, opt('discard-no-unref', bool)),
    opt('overlap-check', qcow2OverlapChecks),
    opt('cache-size', int),
    opt('l2-cache-size', int),
    opt('l2-cache-entry-size', int),
    opt('refcount-cache-size', int),
    opt('cache-clean-interval', int),
    opt('encrypt', qcow2Encryption),
    opt('data-file', ref),
  ],
  holdsFd: false,
  childPerm: defaultPerms,
  isFilter: false,
  supportsBacking: true,
  reopen: [
    'lazy-refcounts', 'pass-discard-request', 'pass-discard-snapshot', 'pass-discard-other', 'discard-no-unref',
    'overlap-check', 'cache-size', 'l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size',
    'cache-clean-interval',
  ],
  open: openQcow2,
};
