/**
 * blockdev-reopen (blockdev.c: qmp_blockdev_reopen(); block.c: bdrv_reopen_queue_child(),
 * bdrv_reopen_prepare(), bdrv_reopen_multiple()). One transaction: every queued node takes its
 * new options, links change, then one refresh decides; any failure changes nothing.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import { getNode } from '../graph/graph.js';
import type { NodeName } from '../graph/types.js';
import type { BlockdevOptions } from '../core/open.js';
import { reopenMultiple } from '../core/reopen.js';
import { enqueue, type QueueEntry } from '../core/reopen-queue.js';
import { blockdevOptions } from '../drivers/blockdev-options.js';
import { listOf, req, struct } from '../qapi/schema.js';
import type { Command } from './command.js';

export const blockdevReopen: Command = {
  args: struct(req('options', listOf(blockdevOptions))),
  run(graph, args, env) {
    const queue = new Map<NodeName, QueueEntry>();
    for (const options of args['options'] as BlockdevOptions[]) {
      const name = options['node-name'];
      if (typeof name !== 'string') fail(msg.nodeNameNotSpecified());
      if (!getNode(graph, name)) fail(msg.failedToFindNode(name));
      enqueue(graph, queue, { name, options, keepOld: false, inherited: {} });
    }
    const result = transact(graph, env, (tx) => reopenMultiple(tx, queue));
    return { ...result, reply: {} };
  },
};
