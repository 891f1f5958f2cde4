/**
 * drive-mirror and drive-backup, the older commands that name the target by file name
 * (blockdev.c: qmp_drive_mirror(), qmp_drive_backup()): unless mode=existing the target image is
 * created first (in the storage's memory only: nothing is written), then opened, then the job
 * starts as blockdev-mirror / blockdev-backup would.
 */
import { nodeFilename } from '../core/filename.js';
import { setBacking } from '../jobs/job-graph-edits.js';
import { backupBitmap } from './backup-bitmap.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { openBlockdev } from '../core/open.js';
import { transact } from '../core/tx.js';
import type { Tx } from '../core/tx-state.js';
import { childByName, getNode } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { skipFilters } from '../core/chain.js';
import { createImage, imageOptions } from './img-create.js';
import { opBlocked } from '../jobs/blockers.js';
import { startBackup, startMirror } from '../jobs/start.js';
import { driveBackupArgs, driveMirrorArgs } from '../qapi/job-schema.js';
import type { Command, CommandArgs } from './command.js';
import { checkMirrorGranularity, jobOptions, lookupDevice, needsBitmap, rootNode } from './job-args.js';

/**
 * The image a new target names as its backing file: the source's own for sync=none, the next
 * image down from it (filters skipped) for sync=top, none else (qmp_drive_mirror(),
 * drive_backup_prepare()).
 */
function targetBacking(graph: Graph, source: NodeName, sync: unknown): BlockNode | undefined {
  if (sync === 'none') return getNode(graph, source);
  if (sync !== 'top') return undefined;
  const image = getNode(graph, skipFilters(graph, source))!;
  const backing = childByName(graph, image, 'backing');
  return backing && getNode(graph, backing.child);
}

/**
 * bdrv_img_create() (unless mode=existing: the format is then probed) and bdrv_open() of the
 * target. A mirror's target never opens the backing file its header names (BDRV_O_NO_BACKING);
 * a backup's does, but for sync=none, where the source itself becomes its backing
 * (drive_backup_prepare(): bdrv_set_backing_hd()); a backup's unmaps (`discard` and
 * `detect-zeroes`).
 */
function openTarget(tx: Tx, graph: Graph, source: NodeName, args: CommandArgs, job: 'mirror' | 'backup'): NodeName {
  const filename = args['target'] as string;
  const node = getNode(graph, source)!;
  let format = args['format'] as string | undefined;
  if (args['mode'] !== 'existing') {
    format ??= node.driver;
    const backing = targetBacking(graph, source, args['sync']);
    createImage(tx, { filename, format, size: node.size, ...(backing ? { backing: { file: backing.filename, format: backing.driver } } : {}) });
  } else if (!format) {
    const facts = tx.env.storage.inspect(filename);
    format = 'error' in facts ? 'raw' : facts.header.format;
  }
  const noBacking = job === 'mirror' || args['sync'] === 'none';
  // drive_backup_action(): the target opens with discard=unmap and detect-zeroes=unmap
  const unmap = job === 'backup' ? { discard: 'unmap', 'detect-zeroes': 'unmap' } : {};
  const target = openBlockdev(tx, { ...imageOptions(tx, format, filename, args['node-name'] as string | undefined, noBacking), ...unmap }, {
    monitorOwned: false,
    inheritsFrom: null,
    inherited: { readOnly: false },
  });
  // BDRV_O_NO_BACKING is a flag, not an option: the target's options name no backing
  const draft = tx.mustNode(target);
  const { backing: _, ...options } = draft.options;
  draft.options = options;
  if (job === 'backup' && args['sync'] === 'none') setBacking(tx, target, source);
  const opened = tx.mustNode(target);
  opened.filename = nodeFilename(tx.g as Graph, opened);
  return target;
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
      const target = openTarget(tx, graph, bs, args, 'mirror');
      checkMirrorGranularity(args);
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
      const target = openTarget(tx, graph, bs, args, 'backup');
      // do_backup_common(), once the target is open
      needsBitmap(args);
      startBackup(tx, options, bs, target, backupBitmap(graph, bs, args));
    });
    return { ...result, reply: {} };
  },
};
