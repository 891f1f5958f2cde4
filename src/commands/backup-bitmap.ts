/**
 * A backup's `bitmap` and `bitmap-mode` (blockdev.c: do_backup_common(), after its check that the
 * bitmap sync modes name a bitmap): `incremental` is `bitmap` with mode on-success; the bitmap is
 * looked for on the source node and must not be busy; the combinations that produce nothing are
 * refused.
 */
import { ALLOW_RO, checkBitmap } from '../core/bitmap-checks.js';
import { findBitmap } from '../graph/bitmaps.js';
import { getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import type { BackupBitmap } from '../jobs/start.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { CommandArgs } from './command.js';

export function backupBitmap(graph: Graph, source: NodeName, args: CommandArgs): BackupBitmap | undefined {
  let sync = args['sync'] as string;
  let mode = args['bitmap-mode'] as BackupBitmap['mode'] | undefined;
  const name = args['bitmap'] as string | undefined;
  if (sync === 'incremental') {
    if (mode !== undefined && mode !== 'on-success') fail(msg.backupBitmapModeIncremental());
    sync = 'bitmap';
    mode = 'on-success';
  }
  if (name === undefined) {
    if (mode !== undefined) fail(msg.backupBitmapModeWithoutBitmap());
    return undefined;
  }
  const node = getNode(graph, source)!;
  const bitmap = findBitmap(node, name);
  if (!bitmap) fail(msg.backupBitmapNotFound(name));
  if (mode === undefined) fail(msg.backupBitmapModeRequired());
  checkBitmap(graph, { node, bitmap }, ALLOW_RO);
  if (sync === 'none') fail(msg.backupBitmapSyncNone());
  if (mode === 'never' && sync !== 'bitmap') fail(msg.backupBitmapModeUseless(mode, sync));
  return { name, mode, syncBitmap: sync === 'bitmap' };
}
