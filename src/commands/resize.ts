/** block_resize (blockdev.c: qmp_block_resize(); block/io.c: bdrv_co_truncate()). */
import { castDraft } from 'immer';
import { recordDiscards, recordWrite } from '../core/write-stats.js';
import type { Discards } from '../drivers/driver.js';
import { fileChildOf } from '../graph/file-child.js';
import { insertBackend, removeBackend } from '../core/backends.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import { truncateBitmaps } from '../core/bitmaps.js';
import type { Tx } from '../core/tx-state.js';
import { getNode } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { exactInt, opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { opBlocked } from '../jobs/blockers.js';
import { BDRV_MAX_LENGTH } from '../drivers/driver.js';
import { Role } from '../drivers/roles.js';
import { rulesOf } from '../models/rules.js';
import { dataNodeBelow } from '../core/driver-host.js';
import { recordWrittenImage } from '../core/written-images.js';

/**
 * bdrv_co_truncate() at each level, from the node down (a loop: any depth): the request within
 * BDRV_MAX_LENGTH, the node writable, then the driver's own truncate (its `truncate`: the walk
 * ends there, or goes on to its file), else the filtered child's, else none.
 */
function truncate(tx: Tx, name: NodeName, size: bigint): void {
  const sized: [NodeName, bigint][] = [];
  const wroteFile: [NodeName, number, Discards | undefined][] = [];
  for (let at: NodeName | undefined = name, want = size; at !== undefined; ) {
    if (want > BDRV_MAX_LENGTH) fail(msg.offsetExceedsMaximum(want, BDRV_MAX_LENGTH));
    const node = tx.mustPeekNode(at);
    if (node.readOnly) fail(msg.imageReadOnly());
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
    if (!next) fail(msg.resizeNotSupported());
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

export const blockResize: Command = {
  args: struct(opt('device', str), opt('node-name', str), req('size', exactInt)),
  run(graph, args, env) {
    const device = args['device'] as string | undefined;
    const nodeName = args['node-name'] as string | undefined;
    const node = nodeName !== undefined ? getNode(graph, nodeName) : undefined;
    if (!node) fail(msg.cannotFindDevice(device ?? '', nodeName ?? ''));
    const size = BigInt(args['size'] as number | bigint);
    if (size < 0n) fail(msg.sizeNotPositive());
    const blocked = opBlocked(graph, node.name, 'resize');
    // 7.2: QERR_DEVICE_IN_USE with the device argument, printed as '(null)' when only node-name was given
    if (blocked) fail(rulesOf(graph.model).resizeBlockedText === 'node-busy' ? blocked : msg.deviceInUse(device ?? '(null)'));
    const result = transact(graph, env, (tx) => {
      const backend = insertBackend(tx, { kind: 'internal', purpose: 'block_resize' }, node.name, Perm.RESIZE, PERM_ALL);
      truncate(tx, node.name, size);
      removeBackend(tx, backend);
    });
    return { ...result, reply: {} };
  },
};
