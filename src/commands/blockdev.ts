/** blockdev-add and blockdev-del (blockdev.c: qmp_blockdev_add(), qmp_blockdev_del()). */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { openBlockdev } from '../core/open.js';
import { closeNode, heldByJob } from '../core/close.js';
import { transact } from '../core/tx.js';
import { moveToContext } from '../core/aio-context.js';
import { getNode, hasBackendParent } from '../graph/graph.js';
import { opBlocked } from '../jobs/blockers.js';
import { blockdevOptions } from '../drivers/blockdev-options.js';
import { req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';

export const blockdevAdd: Command = {
  args: blockdevOptions,
  run(graph, args, env) {
    if (typeof args['node-name'] !== 'string') fail(msg.rootNeedsNodeName());
    const result = transact(graph, env, (tx) => {
      const name = openBlockdev(tx, args, { monitorOwned: true, inheritsFrom: null, inherited: { readOnly: false } });
      // a child named by reference that runs in an iothread comes into the main loop's context
      const children = tx.mustPeekNode(name).children.map((id) => tx.peekEdge(id).child);
      if (children.some((child) => tx.mustPeekNode(child).iothread !== undefined)) moveToContext(tx, name, null);
    });
    return { ...result, reply: {} };
  },
};

export const blockdevDel: Command = {
  args: struct(req('node-name', str)),
  run(graph, args, env) {
    const name = args['node-name'] as string;
    const node = getNode(graph, name);
    if (!node) fail(msg.failedToFindNode(name));
    if (hasBackendParent(graph, node)) fail(msg.nodeInUse(name));
    const blocker = opBlocked(graph, name, 'drive-del');
    if (blocker) fail(blocker);
    if (!node.monitorOwned) fail(msg.notOwnedByMonitor(name));
    // bs->refcnt > 1: a parent, or an amend job's reference
    if (node.parents.length > 0 || heldByJob(graph, name)) fail(msg.blockDeviceInUse(name));
    const result = transact(graph, env, (tx) => closeNode(tx, name));
    return { ...result, reply: {} };
  },
};

