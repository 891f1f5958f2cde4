/** block_resize (blockdev.c: qmp_block_resize(); block/io.c: bdrv_co_truncate()). */
import { insertBackend, removeBackend } from '../core/backends.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import { truncateNode } from '../core/truncate.js';
import { getNode } from '../graph/graph.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { exactInt, opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { opBlocked } from '../jobs/blockers.js';
import { rulesOf } from '../models/rules.js';

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
      truncateNode(tx, node.name, size);
      removeBackend(tx, backend);
    });
    return { ...result, reply: {} };
  },
};
