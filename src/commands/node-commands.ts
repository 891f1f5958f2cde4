/**
 * Small commands on one node: block-set-write-threshold (block/write-threshold.c),
 * change-backing-file and x-blockdev-set-iothread (blockdev.c).
 */
import { castDraft } from 'immer';
import { headerBelow } from '../core/driver-host.js';
import { refreshFilename } from '../core/open.js';
import { reopenSetReadOnly } from '../core/reopen.js';
import { transact } from '../core/tx.js';
import { moveToContext } from '../core/aio-context.js';
import type { Tx } from '../core/tx-state.js';
import { getNode, getObject, parentEdges } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { opBlocked } from '../jobs/blockers.js';
import { bool, exactUint64, opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { rootNode } from './job-args.js';
import { filterOrCowChild } from './node-info.js';

/** qmp_block_set_write_threshold(): any node; the value shows as `write_threshold` (an int64: 2^64-1 is -1). */
export const blockSetWriteThreshold: Command = {
  args: struct(req('node-name', str), req('write-threshold', exactUint64)),
  run(graph, args, env) {
    const name = args['node-name'] as string;
    if (!getNode(graph, name)) fail(msg.deviceNotFound(name));
    const signed = BigInt.asIntN(64, BigInt(args['write-threshold'] as number | bigint));
    // kept as a number: beyond 2^53 the value shown is the nearest double
    const value = Number(signed);
    const result = transact(graph, env, (tx) => void (tx.mustNode(name).writeThreshold = value));
    return { ...result, reply: {} };
  },
};

/** bdrv_chain_contains(): `image` is `top` or below it along filtered and COW children. */
function chainContains(graph: Graph, top: BlockNode, image: BlockNode): boolean {
  for (let at: BlockNode | undefined = top; at; at = filterOrCowChild(graph, at)) if (at.name === image.name) return true;
  return false;
}

/** QCowHeader's backing_file_size limit (qcow2_change_backing_file()). */
const QCOW2_MAX_BACKING_NAME = 1023;

/**
 * bdrv_change_backing_file() of a qcow2 node: the header names the new file, with the node's own
 * format as its format (as qmp_change_backing_file() passes it), and the node's filename follows
 * (bs->auto_backing_file is the name as given: any other name than its backing's makes it json:{…}).
 */
function changeBackingFile(tx: Tx, name: NodeName, backingFile: string): void {
  const node = tx.mustPeekNode(name);
  if (node.driver !== 'qcow2') fail(msg.couldNotChangeBackingFile(backingFile, 'Operation not supported'));
  if (new TextEncoder().encode(backingFile).length > QCOW2_MAX_BACKING_NAME) fail(msg.couldNotChangeBackingFile(backingFile, 'Invalid argument'));
  const draft = tx.mustNode(name);
  draft.header = castDraft({ ...(node.header ?? { backingFile: '', backingFormat: '' }), backingFile, backingFormat: node.driver });
  draft.autoBackingFile = backingFile;
  const file = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
  const data = file && headerBelow(tx, file.child) ? bottomFile(tx, file.child) : undefined;
  if (data) tx.env.storage.changeBackingFile?.(data, backingFile, node.driver);
  refreshFilename(tx, name);
}

/** The path of the file under a node, down through `file` children. */
function bottomFile(tx: Tx, name: NodeName): string | undefined {
  for (let at: NodeName | undefined = name; at !== undefined; ) {
    const node = tx.mustPeekNode(at);
    if (node.file) return node.file.path;
    at = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file')?.child;
  }
  return undefined;
}

/** qmp_change_backing_file(): the checks in QEMU's order, a read-only image reopened read-write for the change and back. */
export const changeBackingFileCommand: Command = {
  args: struct(req('device', str), req('image-node-name', str), req('backing-file', str)),
  run(graph, args, env) {
    const device = args['device'] as string;
    const imageName = args['image-node-name'] as string;
    const backingFile = args['backing-file'] as string;
    const top = getNode(graph, rootNode(graph, device))!;
    const image = getNode(graph, imageName);
    if (!image) fail(msg.cannotFindDevice('', imageName));
    if (!filterOrCowChild(graph, image)) fail(msg.noBackingFileToChange());
    const blocked = opBlocked(graph, top.name, 'change');
    if (blocked) fail(blocked);
    if (!chainContains(graph, top, image)) fail(msg.notInSameChain(device));
    const result = transact(graph, env, (tx) => {
      const readOnly = image.readOnly;
      if (readOnly) reopenSetReadOnly(tx, imageName, false);
      changeBackingFile(tx, imageName, backingFile);
      if (readOnly) reopenSetReadOnly(tx, imageName, true);
    });
    return { ...result, reply: {} };
  },
};

/**
 * qmp_x_blockdev_set_iothread(): the node, unless forced not one a BlockBackend holds, moves with
 * all it is linked to into the iothread's AioContext (src/core/aio-context.ts).
 */
export const xBlockdevSetIothread: Command = {
  args: struct(req('node-name', str), req('iothread', { kind: 'alternate', name: 'StrOrNull', string: str, null: true }), opt('force', bool)),
  run(graph, args, env) {
    const name = args['node-name'] as string;
    const node = getNode(graph, name);
    if (!node) fail(msg.nodeNameNotFound(name));
    if (args['force'] !== true && parentEdges(graph, node).some((e) => e.parent.kind === 'backend')) fail(msg.nodeHasBlockBackend(name));
    const iothread = args['iothread'];
    if (typeof iothread === 'string' && getObject(graph, iothread)?.qomType !== 'iothread') fail(msg.iothreadNotFound(iothread));
    const result = transact(graph, env, (tx) => moveToContext(tx, name, typeof iothread === 'string' ? iothread : null));
    return { ...result, reply: {} };
  },
};
