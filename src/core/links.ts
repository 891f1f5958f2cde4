/**
 * Changing links without looking at permissions (block.c: the `*_noperm` functions): attach,
 * detach, move and replace edges, set an edge's perms, refuse a cycle. Every node whose inputs
 * change is marked for the refresh that follows.
 */
import { moveToContext } from './aio-context.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { cumulativePerm } from '../perms/cumulative.js';
import { Perm, permNames, type PermSet } from '../perms/perm.js';
import { deleteShard, setShard } from '../graph/shards.js';
import type { BlockNode, Edge, EdgeId, NodeName, ParentRef } from '../graph/types.js';
import { childPerm } from './child-perm.js';
import { adopt, type DraftEdge } from './draft.js';
import { lowerHeight, raiseHeight } from './heights.js';
import { refreshFilename } from './filename-refresh.js';
import type { Tx } from './tx-state.js';

/**
 * bdrv_attach_child_noperm() and bdrv_attach_child_common(): a new edge at the head of both lists.
 * An inactive child takes no active node parent, and no parent asks more than consistent read of it.
 */
export function attachNoperm(tx: Tx, parent: ParentRef, child: NodeName, name: string, role: number, perm: PermSet, shared: PermSet): DraftEdge {
  const childNode = tx.mustNode(child);
  if (parent.kind === 'node') {
    checkNoCycle(tx, parent.node, childNode, name);
    if (childNode.inactive && !tx.mustPeekNode(parent.node).inactive) fail(msg.inactiveChildOfActive(child, name, parent.node));
  }
  if (childNode.inactive && perm & ~Perm.CONSISTENT_READ) fail(msg.permUnavailableOnInactive(permNames(perm)));
  const id = ++tx.g.counters.edge;
  const edge: Edge = { id, parent, child, name, role, perm, shared };
  setShard(tx.g.edges, String(id), adopt(tx.g, edge));
  childNode.parents.unshift(id);
  if (parent.kind === 'node') {
    const parentNode = tx.mustNode(parent.node);
    parentNode.children.unshift(id);
    raiseHeight(tx, parentNode, childNode.height + 1);
    tx.touch(parent.node);
  } else if (parent.kind === 'backend') {
    const backend = tx.backend(parent.backend);
    if (backend) backend.edge = id;
  }
  tx.touch(child);
  tx.emit({ type: 'edge.attached', edge: id, parent: tx.label(parent), child, name });
  return tx.edge(id);
}

/** A node-parent's new child edge, with the perms its driver asks for (bdrv_attach_child()). */
export function attachChild(tx: Tx, parent: NodeName, child: NodeName, name: string, role: number): DraftEdge {
  const parentNode = tx.mustPeekNode(parent);
  const { perm, shared } = cumulativePerm(parentNode.parents.map((id) => tx.peekEdge(id)));
  const want = childPerm(tx, parentNode, { name, role, child }, perm, shared);
  return attachNoperm(tx, { kind: 'node', node: parent }, child, name, role, want.perm, want.shared);
}

/**
 * bdrv_detach_child(): unlinks an edge; the old child is refreshed. A child in an iothread goes
 * back to the main loop's AioContext with all it is still linked to (bdrv_root_unref_child():
 * the parent that wanted the iothread may be the one that left).
 */
export function detachNoperm(tx: Tx, id: EdgeId): void {
  const edge = tx.peekEdge(id);
  const child = tx.node(edge.child);
  if (child) {
    child.parents.splice(child.parents.indexOf(id), 1);
    tx.touch(child.name);
  }
  if (edge.parent.kind === 'node') {
    const parent = tx.node(edge.parent.node);
    if (parent) {
      parent.children.splice(parent.children.indexOf(id), 1);
      lowerHeight(tx, parent);
    }
  } else if (edge.parent.kind === 'backend') {
    const backend = tx.backend(edge.parent.backend);
    if (backend) backend.edge = null;
  }
  tx.emit({ type: 'edge.detached', edge: id, parent: tx.label(edge.parent), child: edge.child, name: edge.name });
  deleteShard(tx.g.edges, String(id));
  if (child?.iothread !== undefined) moveToContext(tx, child.name, null);
}

/** bdrv_replace_child_noperm(): the edge keeps its parent and now points at `to`. */
export function moveEdgeNoperm(tx: Tx, id: EdgeId, to: NodeName): void {
  const edge = tx.edge(id);
  const from = tx.mustNode(edge.child);
  const target = tx.mustNode(to);
  if (edge.parent.kind === 'node') checkNoCycle(tx, edge.parent.node, target, edge.name);
  from.parents.splice(from.parents.indexOf(id), 1);
  target.parents.unshift(id);
  edge.child = to;
  if (edge.parent.kind === 'node') {
    const parent = tx.mustNode(edge.parent.node);
    raiseHeight(tx, parent, target.height + 1);
    lowerHeight(tx, parent);
  }
  tx.touch(from.name);
  tx.touch(to);
  tx.emit({ type: 'edge.moved', edge: id, parent: tx.label(edge.parent), name: edge.name, from: from.name, to });
}

/**
 * bdrv_replace_node(): every parent of `from` now points at `to`, except job edges (they stay
 * at their node) and the edges of `to` and of every node below it, which would make a loop
 * (should_update_child(): a backup target backed by its source keeps its backing).
 */
export function replaceNodeNoperm(tx: Tx, from: NodeName, to: NodeName): void {
  const below = subtree(tx, to);
  const moved: NodeName[] = [];
  for (const id of [...tx.mustPeekNode(from).parents]) {
    const edge = tx.peekEdge(id);
    if (edge.parent.kind === 'job') continue;
    if (edge.parent.kind === 'node' && below.has(edge.parent.node)) continue;
    moveEdgeNoperm(tx, id, to);
    if (edge.parent.kind === 'node') moved.push(edge.parent.node);
  }
  // the parents now name the new child in their filenames (a filter's json:{…} shows it)
  for (const parent of moved) refreshFilename(tx, parent);
}

/** `top` and every node below it. */
function subtree(tx: Tx, top: NodeName): Set<NodeName> {
  const seen = new Set<NodeName>([top]);
  const stack = [top];
  while (stack.length > 0) {
    for (const id of tx.mustPeekNode(stack.pop()!).children) {
      const child = tx.peekEdge(id).child;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen;
}

/** New perms on an edge; its child is refreshed. */
export function setEdgePerm(tx: Tx, edge: DraftEdge, perm: PermSet, shared: PermSet): void {
  if (edge.perm === perm && edge.shared === shared) return;
  const previous = { perm: edge.perm, shared: edge.shared };
  edge.perm = perm;
  edge.shared = shared;
  tx.touch(edge.child);
  tx.emit({ type: 'perms.changed', edge: edge.id, parent: tx.label(edge.parent), child: edge.child, name: edge.name, perm, shared, previous });
}

/** bdrv_attach_child_noperm()'s check: `child` must not be `parent` or stand above it. */
export function checkNoCycle(tx: Tx, parent: NodeName, child: BlockNode, edgeName: string): void {
  const parentNode = tx.mustPeekNode(parent);
  if (parent === child.name) fail(msg.wouldCreateCycle(child.name, edgeName, parent));
  if (parentNode.parents.length === 0) return;
  // parent is a descendant of child only if it stands lower: prune everything below it
  const seen = new Set<NodeName>();
  const stack = [child.name];
  while (stack.length) {
    const name = stack.pop()!;
    if (name === parent) fail(msg.wouldCreateCycle(child.name, edgeName, parent));
    const node = tx.mustPeekNode(name);
    if (seen.has(name) || node.height < parentNode.height) continue;
    seen.add(name);
    for (const id of node.children) stack.push(tx.peekEdge(id).child);
  }
}
