/**
 * A qcow2 node's metadata written to its image (internal snapshots, persistent bitmaps): the
 * node's header takes the new facts, the file the writes (`wr_highest_offset`, its length grown
 * to the end of what was written past it, in whole sectors) and the discards, and a later open of
 * the file reads it all (src/core/written-images.ts).
 */
import { castDraft } from 'immer';
import type { Discards } from '../drivers/driver.js';
import { fileChildOf } from '../graph/file-child.js';
import { QCOW2_DEFAULTS, type Qcow2Facts } from '../graph/node-header.js';
import type { Graph, NodeName } from '../graph/types.js';
import { dataNodeBelow } from './data-node.js';
import type { Tx } from './tx-state.js';
import { recordDiscards, recordWrite } from './write-stats.js';
import { recordWrittenImage } from './written-images.js';

export interface ImageWrites {
  readonly facts: Qcow2Facts;
  /** The end of the furthest write to the file (0: none). */
  readonly wroteFile: number;
  readonly discards?: Discards;
}

/** `holder`'s image as `edit` leaves it, from its qcow2 facts (the defaults where none were read). */
export function writeImage(tx: Tx, holder: NodeName, edit: (facts: Qcow2Facts) => ImageWrites): void {
  const node = tx.mustNode(holder);
  const { facts, wroteFile, discards } = edit(node.header?.qcow2 ?? QCOW2_DEFAULTS);
  node.header = castDraft({ backingFile: '', backingFormat: '', ...node.header, qcow2: facts });
  const file = fileChildOf(tx.g as Graph, tx.mustPeekNode(holder));
  const data = file && dataNodeBelow(tx, file.child);
  if (file && wroteFile > 0) recordWrite(tx, file.child, wroteFile);
  if (file && discards && discards.requests > 0) recordDiscards(tx, file.child, discards.requests, discards.bytes);
  if (data?.file) tx.mustNode(data.name).size = Math.max(data.size, Math.ceil(wroteFile / 512) * 512);
  if (data) recordWrittenImage(tx, tx.mustPeekNode(data.name), tx.mustPeekNode(holder));
}
