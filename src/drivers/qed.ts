/**
 * The `qed` format driver (block/qed.c): a header that may name a backing file (probed, or raw
 * when the image says so), opened after the node; it grows (bdrv_qed_co_truncate()) but never shrinks.
 */
import { failErrno } from '../messages/errors.js';
import { STRERROR } from '../messages/strerror.js';
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost, TruncateStep } from './driver.js';
import { genericCowFormatMembers, imageFormatDriver, openImageOf } from './image-format.js';

/** qed_max_image_size() of the default cluster (64 KiB) and table (4 clusters) sizes. */
const QED_MAX_SIZE = 2n ** 46n;

/** bdrv_qed_do_open(): the magic; QED_F_BACKING_FORMAT_NO_PROBE makes the backing raw, else it is probed. */
function openQed(host: DriverOpenHost, _options: BlockdevOptions): void {
  const { backingFile, backingFormat } = openImageOf(host, 'qed', () => msg.imageNotInFormat('QED'));
  if (backingFile !== undefined) host.nameBacking({ backingFile, ...(backingFormat === 'raw' ? { backingFormat } : {}) });
}

/** sizeof(QEDHeader) */
const QED_HEADER_BYTES = 64;

/** bdrv_qed_co_truncate(): a size qed_is_image_size_valid() takes, and no smaller than the image. */
function truncateQed(_options: BlockdevOptions, size: bigint, length: bigint): TruncateStep {
  if (size % 512n !== 0n || size > QED_MAX_SIZE) failErrno(msg.qedInvalidSize(), STRERROR.EINVAL);
  if (size < length) failErrno(msg.qedCannotShrink(), STRERROR.ENOTSUP);
  // qed_co_truncate(): the header (its 64 bytes) written with the new size
  return { wroteFile: QED_HEADER_BYTES };
}

export const qed = imageFormatDriver({
  name: 'qed',
  members: genericCowFormatMembers,
  supportsBacking: true,
  reopen: [],
  open: openQed,
  truncate: truncateQed,
});
