/**
 * x-blockdev-change (blockdev.c: qmp_x_blockdev_change()): a quorum takes a node as a new child
 * (`node`, bdrv_add_child(), quorum_add_child()) or lets one go (`child`, bdrv_del_child(),
 * quorum_del_child()). Only quorum has those callbacks.
 */
import { closeNode } from '../core/close.js';
import { attachChild, detachNoperm } from '../core/links.js';
import { refreshFilename } from '../core/open.js';
import { refresh } from '../core/refresh.js';
import { transact } from '../core/tx.js';
import type { Tx } from '../core/tx-state.js';
import { inBlkverifyMode } from '../drivers/quorum.js';
import { Role } from '../drivers/roles.js';
import { childByName, childEdges, getNode } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { lookupDevice } from './job-args.js';

/** s->next_child_index: the number of children until x-blockdev-change moved it. */
const nextIndex = (graph: Graph, node: BlockNode): number => node.nextChildIndex ?? (node.options['children'] as readonly unknown[]).length;

/** bdrv_add_child() and quorum_add_child(): `children.<next index>`, as data. */
function addChild(tx: Tx, graph: Graph, parent: BlockNode, child: NodeName): void {
  if (parent.driver !== 'quorum') fail(msg.cannotAddChild(parent.name));
  if (getNode(graph, child)!.parents.length > 0) fail(msg.alreadyHasParent(child));
  if (inBlkverifyMode(parent.options)) fail(msg.quorumAddBlkverify());
  const index = nextIndex(graph, parent);
  attachChild(tx, parent.name, child, `children.${index}`, Role.DATA);
  refresh(tx);
  tx.mustNode(parent.name).nextChildIndex = index + 1;
  refreshFilename(tx, parent.name);
}

/** bdrv_del_child() and quorum_del_child(): never below the vote threshold; the child goes if nothing else holds it. */
function deleteChild(tx: Tx, graph: Graph, parent: BlockNode, name: string): void {
  const edge = childByName(graph, parent, name)!;
  if (parent.driver !== 'quorum') fail(msg.cannotRemoveChild(parent.name));
  const count = childEdges(graph, parent).length;
  const threshold = BigInt(parent.options['vote-threshold'] as number | bigint);
  if (BigInt(count) <= threshold) fail(msg.quorumBelowThreshold(threshold.toString()));
  const next = nextIndex(graph, parent);
  detachNoperm(tx, edge.id);
  refresh(tx);
  // the last index given out is given out again
  tx.mustNode(parent.name).nextChildIndex = name === `children.${next - 1}` ? next - 1 : next;
  const child = tx.mustPeekNode(edge.child);
  if (!child.monitorOwned && child.parents.length === 0) closeNode(tx, edge.child);
  refreshFilename(tx, parent.name);
}

export const xBlockdevChange: Command = {
  args: struct(req('parent', str), opt('child', str), opt('node', str)),
  run(graph, args, env) {
    const parent = getNode(graph, lookupDevice(graph, args['parent'] as string))!;
    const child = args['child'] as string | undefined;
    const node = args['node'] as string | undefined;
    if ((child === undefined) === (node === undefined)) fail(child === undefined ? msg.changeNeitherChildNorNode() : msg.changeChildAndNode());
    if (child !== undefined && !childByName(graph, parent, child)) fail(msg.changeNoSuchChild(parent.name, child));
    if (node !== undefined && !getNode(graph, node)) fail(msg.changeNodeNotFound(node));
    const result = transact(graph, env, (tx) => {
      if (child !== undefined) deleteChild(tx, graph, parent, child);
      else addChild(tx, graph, parent, node!);
    });
    return { ...result, reply: {} };
  },
};
