/**
 * blockdev-snapshot-sync: the external snapshot whose overlay QEMU creates and opens itself
 * (blockdev.c: external_snapshot_prepare() for TRANSACTION_ACTION_KIND_BLOCKDEV_SNAPSHOT_SYNC).
 * Unless mode=existing the overlay image is created first (in the storage's memory only, as
 * drive-mirror creates its target), backed by the node's file; it is opened without its backing
 * (BDRV_O_NO_BACKING) with the node's read-only and inactive flags, then appended as
 * blockdev-snapshot does.
 */
import { openBlockdev } from '../core/open.js';
import { Steps } from '../core/steps.js';
import { transact } from '../core/tx.js';
import { closeIfOrphan } from '../jobs/job-graph.js';
import type { Tx, TxEnv } from '../core/tx-state.js';
import { getNode } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { enumOf, opt, req, str, struct } from '../qapi/schema.js';
import { createImage, imageOptions } from './img-create.js';
import type { Command, CommandArgs, CommandResult } from './command.js';
import { refuseIfBlocked } from './job-args.js';
import { appendOverlay, checkOverlay, commitSnapshot } from './snapshot.js';

export const blockdevSnapshotSyncArgs = struct(
  opt('device', str),
  opt('node-name', str),
  req('snapshot-file', str),
  opt('snapshot-node-name', str),
  opt('format', str),
  opt('mode', enumOf('NewImageMode', ['existing', 'absolute-paths'])),
);

/** bdrv_img_create() unless mode=existing, and bdrv_open() of the overlay. */
function openOverlay(tx: Tx, old: BlockNode, args: CommandArgs, format: string): NodeName {
  const filename = args['snapshot-file'] as string;
  if (args['mode'] !== 'existing') createImage(tx, { filename, format, size: old.size, backing: { file: old.filename, format: old.driver } });
  const overlay = openBlockdev(tx, imageOptions(tx, format, filename, args['snapshot-node-name'] as string | undefined), {
    monitorOwned: false,
    inheritsFrom: null,
    inherited: { readOnly: old.readOnly, ...(old.inactive ? { inactive: true } : {}) },
  });
  // BDRV_O_NO_BACKING is a flag, not an option: the overlay's options name no backing
  const node = tx.mustNode(overlay);
  const { backing: _, ...options } = node.options;
  node.options = options;
  return overlay;
}

/** external_snapshot_prepare() and _commit(): the overlay made, opened and appended. */
function prepare(graph: Graph, args: CommandArgs, env: TxEnv): CommandResult {
  const device = args['device'] as string | undefined;
  const nodeName = args['node-name'] as string | undefined;
  // bdrv_lookup_bs(device, node-name): qemu-storage-daemon has no named BlockBackends
  const old = nodeName !== undefined ? getNode(graph, nodeName) : undefined;
  if (!old) fail(msg.cannotFindDevice(device ?? '', nodeName ?? ''));
  refuseIfBlocked(graph, old.name, 'external-snapshot');
  const format = (args['format'] as string | undefined) ?? 'qcow2';
  const snapshotNodeName = args['snapshot-node-name'] as string | undefined;
  if (snapshotNodeName === undefined) fail(msg.overlayNodeNameMissing());
  if (getNode(graph, snapshotNodeName)) fail(msg.overlayNodeNameInUse());
  const steps = new Steps(graph, env);
  try {
    steps.run((tx) => {
      const overlay = openOverlay(tx, old, args, format);
      checkOverlay(tx.g as Graph, env, overlay);
      appendOverlay(tx, old.name, overlay);
    });
  } catch (error) {
    steps.fail(error);
  }
  return commitSnapshot(steps, old.name);
}

/** external_snapshot_clean(): bdrv_unref(new_bs), which closes an overlay no parent took over. */
function clean(graph: Graph, args: CommandArgs, env: TxEnv): CommandResult {
  const overlay = getNode(graph, args['snapshot-node-name'] as string);
  if (!overlay || overlay.parents.length > 0) return { graph, events: [], reply: {} };
  return { ...transact(graph, env, (tx) => closeIfOrphan(tx, overlay.name)), reply: {} };
}

export const blockdevSnapshotSync: Command = {
  args: blockdevSnapshotSyncArgs,
  run(graph, args, env) {
    const prepared = prepare(graph, args, env);
    const cleaned = clean(prepared.graph, args, env);
    return { graph: cleaned.graph, events: [...prepared.events, ...cleaned.events], reply: {} };
  },
  action: { prepare, clean },
};
