/**
 * drive-mirror and drive-backup, the older commands that name the target by file name
 * (blockdev.c: qmp_drive_mirror(), qmp_drive_backup()): unless mode=existing the target image is
 * created first (in the storage's memory only: nothing is written), then opened, then the job
 * starts as blockdev-mirror / blockdev-backup would.
 */
import { backupBitmap } from './backup-bitmap.js';
import { isImageFormat } from '../storage/storage.js';
import { DRIVERS, driverNamed } from '../drivers/registry.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { openBlockdev } from '../core/open.js';
import { transact } from '../core/tx.js';
import type { Tx } from '../core/tx-state.js';
import { childByName, getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { opBlocked } from '../jobs/blockers.js';
import { startBackup, startMirror } from '../jobs/start.js';
import { driveBackupArgs, driveMirrorArgs } from '../qapi/job-schema.js';
import type { Command, CommandArgs } from './command.js';
import { jobOptions, lookupDevice, needsBitmap, rootNode } from './job-args.js';

/** bdrv_img_create() (unless mode=existing) and bdrv_open() of the target. */
function openTarget(tx: Tx, graph: Graph, source: NodeName, args: CommandArgs): NodeName {
  const filename = args['target'] as string;
  const existing = args['mode'] === 'existing';
  const node = getNode(graph, source)!;
  const drivers = tx.env.drivers ?? DRIVERS;
  let format = args['format'] as string | undefined;
  if (!existing) {
    format ??= isImageFormat(node.driver) ? node.driver : 'raw';
    if (!isImageFormat(format)) fail(msg.unknownFileFormat(format));
    const backing = args['sync'] === 'top' ? childByName(graph, node, 'backing') : undefined;
    const backingNode = backing ? getNode(graph, backing.child) : undefined;
    tx.env.storage.create(filename, {
      format,
      virtualSize: node.size,
      ...(backingNode ? { backingFile: backingNode.filename, backingFormat: backingNode.driver } : {}),
    });
  } else if (!format) {
    const facts = tx.env.storage.inspect(filename);
    format = 'error' in facts ? 'raw' : facts.header.format;
  }
  const nodeName = args['node-name'] as string | undefined;
  return openBlockdev(
    tx,
    {
      driver: format,
      ...(nodeName !== undefined ? { 'node-name': nodeName } : {}),
      file: { driver: 'file', filename },
      ...(driverNamed(drivers, format)?.supportsBacking ? { backing: null } : {}),
    },
    { monitorOwned: false, inheritsFrom: null, inherited: { readOnly: false } },
  );
}

export const driveMirror: Command = {
  args: driveMirrorArgs,
  run(graph, args, env) {
    const bs = rootNode(graph, args['device'] as string);
    const blocked = opBlocked(graph, bs, 'mirror-source');
    if (blocked) fail(blocked);
    if (args['sync'] === 'incremental' || args['sync'] === 'bitmap') fail(msg.syncModeNotSupported(args['sync'] as string));
    const options = jobOptions(args, '');
    const replaces = args['replaces'] as string | undefined;
    const result = transact(graph, env, (tx) => {
      const target = openTarget(tx, graph, bs, args);
      startMirror(tx, options, 'mirror', bs, target, replaces ?? null);
    });
    return { ...result, reply: {} };
  },
};

export const driveBackup: Command = {
  args: driveBackupArgs,
  run(graph, args, env) {
    const bs = lookupDevice(graph, args['device'] as string);
    const blocked = opBlocked(graph, bs, 'backup-source');
    if (blocked) fail(blocked);
    const options = jobOptions(args, '');
    const result = transact(graph, env, (tx) => {
      const target = openTarget(tx, graph, bs, args);
      // do_backup_common(), once the target is open
      needsBitmap(args);
      startBackup(tx, options, bs, target, backupBitmap(graph, bs, args));
    });
    return { ...result, reply: {} };
  },
};
