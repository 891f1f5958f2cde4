/**
 * The `qcow` (version 1) format driver (block/qcow.c): a header that may name a backing file,
 * opened after the node; reopened as it is (qcow_reopen_prepare() accepts all), never resized.
 */
import { msg } from '../messages/messages.js';
import { opt, req } from '../qapi/schema.js';
import { qcowEncryption } from './qapi-only-variants.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { imageFormatDriver, openImageOf } from './image-format.js';

/** qcow_open(): the magic, then the version (a qcow2 image is version 3 here); the backing file's format is probed. */
function openQcow(host: DriverOpenHost, _options: BlockdevOptions): void {
  const header = openImageOf(host, 'qcow', (below) => (below.format === 'qcow2' ? msg.qcowVersion(3) : msg.imageNotInFormat('qcow')));
  if (header.backingFile !== undefined) host.nameBacking({ backingFile: header.backingFile });
}

export const qcow = imageFormatDriver({
  name: 'qcow',
  // BlockdevOptionsQcow: BlockdevOptionsGenericCOWFormat and the encryption
  members: ({ ref, refOrNull }) => [req('file', ref), opt('backing', refOrNull), opt('encrypt', qcowEncryption)],
  supportsBacking: true,
  reopen: [],
  open: openQcow,
});
