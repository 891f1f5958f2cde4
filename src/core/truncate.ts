/**
 * bdrv_co_truncate() (block/io.c): the walk block_resize and the commit jobs' growing of their
 * base take. Each refusal carries the errno QEMU returns with it, which a job reports.
 */
import { castDraft } from 'immer';
import { recordDiscards, recordWrite } from './write-stats.js';
import type { Discards } from '../drivers/driver.js';
import { BDRV_MAX_LENGTH } from '../drivers/driver.js';
import { fileChildOf } from '../graph/file-child.js';
import { failErrno } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { STRERROR } from '../messages/strerror.js';
import { truncateBitmaps } from './bitmaps.js';
import type { Tx } from './tx-state.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { Role } from '../drivers/roles.js';
import { dataNodeBelow } from './driver-host.js';
import { recordWrittenImage } from './written-images.js';

/**
 * bdrv_co_truncate() at each level, from the node down (a loop: any depth): the request within
 * BDRV_MAX_LENGTH, the node writable, then the driver's own truncate (its `truncate`: the walk
 * ends there, or goes on to its file), else the filtered child's, else none.
 */
export function truncateNode(tx: Tx, name: NodeName, size: bigint): void {
  const sized: [NodeName, bigint][] = [];
  const wroteFile: [NodeName, number, Discards | undefined][] = [];
  for (let at: NodeName | undefined = name, want = size; at !== undefined; ) {
    if (want > BDRV_MAX_LENGTH) failErrno(msg.offsetExceedsMaximum(want, BDRV_MAX_LENGTH), STRERROR.EIO);
    const node = tx.mustPeekNode(at);
    if (node.readOnly) failErrno(msg.imageReadOnly(), STRERROR.EACCES);
    sized.push([at, want]);
    const children = node.children.map((id) => tx.peekEdge(id));
    const file = children.find((e) => e.name === 'file');
    const fileLength = (file && dataNodeBelow(tx, file.child)?.size) ?? 0;
    const step = tx.policy(node.driver).truncate?.(node.options, want, BigInt(node.size), node.header, fileLength);
    if (step === 'done') break;
    if (step && 'header' in step && step.header) tx.mustNode(at).header = castDraft(step.header);
    if (step && 'wroteFile' in step && step.wroteFile !== undefined) wroteFile.push([at, step.wroteFile, step.discards]);
    if (step && 'length' in step) {
      want = step.length;
      sized[sized.length - 1] = [at, want];
      break;
    }
    if (step && !('fileSize' in step)) break;
    if (step) want = step.fileSize;
    const next = step ? file : children.find((e) => e.role & Role.FILTERED);
    if (!next) failErrno(msg.resizeNotSupported(), STRERROR.ENOTSUP);
    at = next.child;
  }
  // the bottom first, as the calls return
  for (let i = sized.length - 1; i >= 0; i--) {
    tx.mustNode(sized[i]![0]).size = Number(sized[i]![1]);
    truncateBitmaps(tx, sized[i]![0]);
  }
  for (const [at, end, discards] of wroteFile) {
    const file = fileChildOf(tx.g as Graph, tx.mustPeekNode(at));
    if (file) recordWrite(tx, file.child, end);
    if (file && discards) recordDiscards(tx, file.child, discards.requests, discards.bytes);
  }
  recordResizedImage(tx, sized.map(([at]) => tx.mustPeekNode(at)));
}

/** What a later open of the file below reads: its length, and the header of the format above it. */
function recordResizedImage(tx: Tx, sized: readonly BlockNode[]): void {
  const last = sized.at(-1)!;
  const fileEdge = last.file ? undefined : fileChildOf(tx.g as Graph, last);
  const bottom = last.file ? last : fileEdge && dataNodeBelow(tx, fileEdge.child);
  if (bottom?.file) recordWrittenImage(tx, bottom, sized.findLast((n) => n.header !== undefined));
}
