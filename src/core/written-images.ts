/**
 * What QEMU writes into image files, kept in the graph so that a later open of the same file reads
 * it (the storage itself is never written): a qcow2 header's size, clusters and internal
 * snapshots, and the file's length. A file made anew (blockdev-create, drive-mirror,
 * drive-backup) forgets what was written before.
 */
import { castDraft } from 'immer';
import type { Extent, FileFacts, ImageHeader } from '../storage/storage.js';
import type { BlockNode, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/** The storage's facts of the file at `path`, with what QEMU wrote into it since. */
export function inspectWritten(tx: Tx, path: string): FileFacts | { readonly error: string } {
  const facts = tx.env.storage.inspect(path);
  const written = 'error' in facts ? undefined : tx.g.writtenImages?.[facts.identity];
  if ('error' in facts || !written || facts.header.format !== 'qcow2') return facts;
  return { ...facts, size: written.fileSize, header: { ...facts.header, virtualSize: written.virtualSize, qcow2: written.qcow2 } };
}

/** The qcow2 node `name` wrote its header and clusters to the file `file` holds: kept for that file, with its length now. */
export function recordWrittenImage(tx: Tx, name: NodeName, file: BlockNode | undefined): void {
  const node = tx.mustPeekNode(name);
  const qcow2 = node.header?.qcow2;
  if (!file?.file || !qcow2) return;
  const image = { fileSize: file.size, virtualSize: node.size, qcow2 };
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
