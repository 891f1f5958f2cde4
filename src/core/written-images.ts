/**
 * What QEMU writes into image files, kept in the graph so that a later open of the same file reads
 * it (the storage itself is never written): the file's length (a resize), a format header's size,
 * a qcow2's clusters (those of internal snapshots and persistent bitmaps too) and snapshots. A file
 * made anew (blockdev-create, drive-mirror, drive-backup) forgets what was written before.
 */
import { castDraft } from 'immer';
import type { Extent, FileFacts, ImageHeader } from '../storage/storage.js';
import type { BlockNode, WrittenImage } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/** The storage's facts of the file at `path`, with what QEMU wrote into it since. */
export function inspectWritten(tx: Tx, path: string): FileFacts | { readonly error: string } {
  const facts = tx.env.storage.inspect(path);
  const written = 'error' in facts ? undefined : tx.g.writtenImages?.[facts.identity];
  if ('error' in facts || !written) return facts;
  const header = facts.header;
  // a raw image is as long as its file; a format's header gives its own size
  const virtualSize = header.format === 'raw' ? written.fileSize : (written.virtualSize ?? header.virtualSize);
  const qcow2 = header.format === 'qcow2' && written.qcow2 ? { qcow2: written.qcow2 } : {};
  return { ...facts, size: written.fileSize, header: { ...header, virtualSize, ...qcow2 } };
}

/**
 * QEMU wrote to the file `file` holds: its length now kept for later opens, and where the format
 * node `format` above it wrote its header, that node's size and qcow2 facts.
 */
export function recordWrittenImage(tx: Tx, file: BlockNode, format: BlockNode | undefined): void {
  if (!file.file) return;
  const before = tx.g.writtenImages?.[file.file.identity];
  const header = format?.header;
  const image: WrittenImage = {
    ...before,
    fileSize: file.size,
    ...(header ? { virtualSize: format.size } : {}),
    ...(header?.qcow2 ? { qcow2: header.qcow2 } : {}),
  };
  tx.g.writtenImages = { ...tx.g.writtenImages, [file.file.identity]: castDraft(image) };
}

/** The file at `path` made anew (bdrv_img_create(), a create job): what was written into it before is gone. */
export function createImageFile(tx: Tx, path: string, header: ImageHeader, data?: readonly Extent[]): void {
  tx.env.storage.create(path, header, data);
  const facts = tx.env.storage.inspect(path);
  if ('error' in facts || !tx.g.writtenImages?.[facts.identity]) return;
  const { [facts.identity]: _gone, ...rest } = tx.g.writtenImages;
  tx.g.writtenImages = rest;
}
