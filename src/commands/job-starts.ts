/**
 * The commands that start a block job (blockdev.c: qmp_block_commit(), qmp_block_stream(),
 * qmp_blockdev_mirror(), qmp_blockdev_backup()). Lookups and checks run on the snapshot first, in
 * QEMU's order; the start itself is one transaction.
 */
import { backupBitmap } from './backup-bitmap.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { TxError, transact } from '../core/tx.js';
import type { Tx, TxEnv } from '../core/tx-state.js';
import { insertBackend } from '../core/backends.js';
import { Perm } from '../perms/perm.js';
import { getNode, leakedBy, parentEdges } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { belowInChain, chainContains, isFilter } from '../core/chain.js';
import { startBackup, startCommit, startMirror, startStream } from '../jobs/start.js';
import { blockCommitArgs, blockdevBackupArgs, blockdevMirrorArgs, blockStreamArgs } from '../qapi/job-schema.js';
import type { Command, CommandResult } from './command.js';
import { checkMirrorGranularity, jobOptions, lookupNode, needsBitmap, refuseIfBlocked, rootNode, str } from './job-args.js';
import { rulesOf } from '../models/rules.js';

const { CONSISTENT_READ: CR, WRITE: W, WRITE_UNCHANGED: WU } = Perm;

/** bdrv_get_device_name(): the name of an attached device's backend, none in qemu-storage-daemon. */
const deviceName = (): string => '';

function started(graph: Graph, env: TxEnv, start: (tx: Tx) => void): CommandResult {
  return { ...transact(graph, env, start), reply: {} };
}

export const blockCommit: Command = {
  args: blockCommitArgs,
  run(graph, args, env) {
    const device = args['device'] as string;
    let bs: NodeName;
    try {
      bs = rootNode(graph, device);
    } catch (error) {
      if (!getNode(graph, device)) throw new QmpError('DeviceNotFound', msg.deviceNotFound(device));
      throw error;
    }
    refuseIfBlocked(graph, bs, 'commit-source');
    const topNode = str(args['top-node']);
    if (topNode !== undefined && args['top'] !== undefined) fail(msg.topAndTopNodeExclusive());
    const top = topNode !== undefined ? lookupNode(graph, topNode) : bs;
    // QEMU checks this only when top-node is given; without it top is bs, always in its own chain
    if (topNode !== undefined && !chainContains(graph, bs, top)) fail(msg.notInBackingChain(topNode));
    const baseNode = str(args['base-node']);
    if (baseNode !== undefined && args['base'] !== undefined) fail(msg.baseAndBaseNodeExclusive());
    let base: NodeName | null;
    if (baseNode !== undefined) {
      base = lookupNode(graph, baseNode);
      if (!chainContains(graph, top, base)) fail(msg.notInBackingChain(baseNode));
    } else {
      base = null;
      // bdrv_find_base(): the bottom of the chain, top itself when it has no backing
      for (let iter: NodeName | null = top; iter; iter = belowInChain(graph, iter)) base = iter;
    }
    for (let iter: NodeName | null = top; iter && iter !== base; iter = belowInChain(graph, iter)) refuseIfBlocked(graph, iter, 'commit-target');
    if (top === base) fail(msg.commitIntoItself());
    const options = jobOptions(args, deviceName());
    const hasWriter = parentEdges(graph, getNode(graph, top)!).some((e) => e.perm & 0x2);
    if (top === bs || hasWriter) {
      if (args['backing-file'] !== undefined) {
        fail(top === bs ? msg.backingFileOnActiveLayer() : msg.backingFileWithWriter());
      }
      return started(graph, env, (tx) => startMirror(tx, options, 'commit', top, base!, null));
    }
    const overlay = [...parentEdges(graph, getNode(graph, top)!)].find((e) => e.name === 'backing' && e.parent.kind === 'node');
    if (overlay?.parent.kind === 'node') refuseIfBlocked(graph, overlay.parent.node, 'commit-target');
    return started(graph, env, (tx) => startCommit(tx, options, bs, top, base!));
  },
};

/** qmp_block_stream()'s `bottom`: a node, not a filter, in the device's chain. */
function streamBottom(graph: Graph, name: string, device: NodeName, deviceArg: string): NodeName {
  const bottom = getNode(graph, name);
  if (!bottom) fail(msg.cannotFindDevice('', name));
  if (isFilter(bottom.driver)) fail(msg.bottomIsFilter(name));
  if (!chainContains(graph, device, bottom.name)) fail(msg.bottomNotInChain(name, deviceArg));
  return bottom.name;
}

export const blockStream: Command = {
  args: blockStreamArgs,
  run(graph, args, env) {
    // qmp_block_stream(): the three ways to name the base exclude each other, checked first
    const given = (key: string): boolean => args[key] !== undefined;
    if (given('base') && given('base-node')) fail(msg.baseAndBaseNodeTogether());
    if (given('base') && given('bottom')) fail(msg.baseAndBottomTogether());
    if (given('bottom') && given('base-node')) fail(msg.bottomAndBaseNodeTogether());
    const bs = lookupNode(graph, args['device'] as string, true);
    const baseNode = str(args['base-node']);
    const bottomNode = str(args['bottom']);
    const bottom = bottomNode !== undefined ? streamBottom(graph, bottomNode, bs, args['device'] as string) : null;
    // with a bottom, everything down to it is streamed: the base is what is below it
    const base = baseNode !== undefined ? lookupNode(graph, baseNode) : bottom !== null ? belowInChain(graph, bottom) : null;
    if (baseNode !== undefined && base && (!chainContains(graph, bs, base) || base === bs)) fail(msg.notABackingImage(base, bs));
    for (let iter: NodeName | null = bs; iter && iter !== base; iter = belowInChain(graph, iter)) refuseIfBlocked(graph, iter, 'stream');
    const options = jobOptions(args, deviceName());
    const progress = { backendMade: false };
    try {
      return started(graph, env, (tx) => startStream(tx, options, bs, base, progress, bottom));
    } catch (error) {
      if (!(error instanceof TxError) || !progress.backendMade || !rulesOf(graph.model).failedStreamLeaksBackend) throw error;
      // QEMU's quirk: the failed stream's backend stays behind on the device node
      const leaked = transact(graph, env, (tx) => {
        insertBackend(tx, { kind: 'internal', purpose: leakedBy(`block-stream ${options.id}`) }, bs, CR, CR | WU | W);
      });
      throw new TxError(error, leaked.events, leaked.graph);
    }
  },
};

export const blockdevMirror: Command = {
  args: blockdevMirrorArgs,
  run(graph, args, env) {
    const bs = rootNode(graph, args['device'] as string);
    const target = lookupNode(graph, args['target'] as string, true);
    checkMirrorGranularity(args);
    refuseIfBlocked(graph, bs, 'mirror-source');
    refuseIfBlocked(graph, target, 'mirror-target');
    if (args['sync'] === 'incremental' || args['sync'] === 'bitmap') fail(msg.syncModeNotSupported(args['sync'] as string));
    const replaces = str(args['replaces']);
    if (replaces !== undefined) lookupNode(graph, replaces);
    const options = jobOptions(args, deviceName());
    return started(graph, env, (tx) => startMirror(tx, options, 'mirror', bs, target, replaces ?? null));
  },
};

export const blockdevBackup: Command = {
  args: blockdevBackupArgs,
  run(graph, args, env) {
    const bs = lookupNode(graph, args['device'] as string, true);
    const target = lookupNode(graph, args['target'] as string, true);
    needsBitmap(args);
    const bitmap = backupBitmap(graph, bs, args);
    // backup_job_create(): the same node is refused before the op blockers are asked
    if (bs === target) fail(msg.backupSameNode());
    refuseIfBlocked(graph, bs, 'backup-source');
    refuseIfBlocked(graph, target, 'backup-target');
    const options = jobOptions(args, deviceName());
    return started(graph, env, (tx) => startBackup(tx, options, bs, target, bitmap));
  },
};
