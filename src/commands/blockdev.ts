/** blockdev-add and blockdev-del (blockdev.c: qmp_blockdev_add(), qmp_blockdev_del()). */
import { fail } from '../core/errors.js';
import { msg } from '../core/messages.js';
import { openBlockdev } from '../core/open.js';
import { transact, type Tx } from '../core/tx.js';
import { getNode, hasBackendParent } from '../graph/graph.js';
import type { NodeName } from '../graph/types.js';
import { opBlocked } from '../jobs/blockers.js';
import { blockdevOptions } from '../qapi/block-schema.js';
import { req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';

export const blockdevAdd: Command = {
  args: blockdevOptions,
  run(graph, args, env) {
    if (typeof args['node-name'] !== 'string') fail(msg.rootNeedsNodeName());
    const result = transact(graph, env, (tx) => {
      openBlockdev(tx, args, { monitorOwned: true, inheritsFrom: null, inherited: { readOnly: false } });
    });
    return { ...result, reply: {} };
  },
};

/** bdrv_unref() of a node nobody references any more: its children go with it when they can. */
export function closeNode(tx: Tx, name: NodeName): void {
  const node = tx.mustNode(name);
  const children = node.children.map((id) => tx.peekEdge(id).child);
  tx.removeNode(name);
  for (const child of new Set(children)) {
    const c = tx.peekNode(child);
    if (c && !c.monitorOwned && c.parents.length === 0) closeNode(tx, child);
  }
}

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
    if (node.parents.length > 0) fail(msg.blockDeviceInUse(name));
    const result = transact(graph, env, (tx) => closeNode(tx, name));
    return { ...result, reply: {} };
  },
};

