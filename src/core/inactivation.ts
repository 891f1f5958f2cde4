/**
 * Inactivating nodes (block.c: bdrv_inactivate(), bdrv_inactivate_recurse(),
 * bdrv_inactivate_all(); block-backend.c: blk_root_inactivate()): a node whose node parents are
 * all inactive lets its BlockBackends go (those that may), must then have no writer left, takes
 * BDRV_O_INACTIVE, and its children follow. Each is a step of its own: what was inactivated
 * before a failure stays inactive.
 */
import { bitmapsBlockInactivation, inactivateBitmaps } from './bitmaps.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { getBackend, getEdge, getNode, parentEdges } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { cumulativePerm } from '../perms/cumulative.js';
import { Perm } from '../perms/perm.js';
import { bdrvNextOrder } from './activation.js';
import { canInactivate, disableBackendPerm } from './backends.js';
import type { Steps } from './steps.js';

/** strerror(): why an inactivation fails, a parent's refusal (EPERM) or the driver's (EINVAL). */
const EPERM = 'Operation not permitted';
const EINVAL = 'Invalid argument';

/** bdrv_has_bds_parent(): a node parent holds it (an active one, with `onlyActive`). */
function hasNodeParent(graph: Graph, name: NodeName, onlyActive: boolean): boolean {
  return parentEdges(graph, getNode(graph, name)!).some((e) => e.parent.kind === 'node' && !(onlyActive && getNode(graph, e.parent.node)?.inactive));
}

/** The parents' .inactivate (a BlockBackend's: blk_root_inactivate()); false for -EPERM. */
function inactivateParents(steps: Steps, name: NodeName): boolean {
  for (const edge of parentEdges(steps.graph, getNode(steps.graph, name)!)) {
    if (edge.parent.kind !== 'backend') continue;
    const id = edge.parent.backend;
    const backend = getBackend(steps.graph, id)!;
    if (backend.disablePerm) continue;
    if (!canInactivate(backend)) return false;
    steps.run((tx) => disableBackendPerm(tx, id));
  }
  return true;
}

/**
 * One node of bdrv_inactivate_recurse(), before its children: the driver's .bdrv_inactivate
 * first, then its parents', then no writer may be left; why it failed (strerror), or null.
 */
function inactivateOne(steps: Steps, name: NodeName): string | null {
  if (bitmapsBlockInactivation(getNode(steps.graph, name)!)) return EINVAL;
  steps.run((tx) => inactivateBitmaps(tx, name));
  if (!inactivateParents(steps, name)) return EPERM;
  const { perm } = cumulativePerm(parentEdges(steps.graph, getNode(steps.graph, name)!));
  // its inactive parents still write
  if (perm & (Perm.WRITE | Perm.WRITE_UNCHANGED)) return EPERM;
  try {
    steps.run((tx) => {
      tx.mustNode(name).inactive = true;
      tx.touch(name);
    });
  } catch {
    // only loosened: a failed refresh is ignored, and the node is inactive all the same
    steps.run((tx) => void (tx.mustNode(name).inactive = true));
  }
  return null;
}

/**
 * bdrv_inactivate_recurse(): `top`, then its children depth first, skipping any that an active
 * node parent still holds and any already inactive; why one refused (strerror), or null.
 */
function inactivateRecurse(steps: Steps, top: NodeName): string | null {
  const work = [top];
  for (let name = work.pop(); name !== undefined; name = work.pop()) {
    if (hasNodeParent(steps.graph, name, true) || getNode(steps.graph, name)!.inactive) continue;
    const refused = inactivateOne(steps, name);
    if (refused !== null) return refused;
    const children = getNode(steps.graph, name)!.children.map((id) => getEdge(steps.graph, id)!.child);
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i]!);
  }
  return null;
}

/** bdrv_inactivate(): `name` and what only it holds; refused while an active node parent holds it. */
export function inactivate(steps: Steps, name: NodeName): void {
  if (hasNodeParent(steps.graph, name, true)) fail(msg.nodeHasActiveParent());
  const refused = inactivateRecurse(steps, name);
  if (refused !== null) fail(msg.inactivateNodeFailed(refused));
}

/** bdrv_inactivate_all(): each node bdrv_next() gives that no node holds, until one fails. */
export function inactivateAll(steps: Steps): void {
  for (const name of bdrvNextOrder(steps.graph)) {
    if (hasNodeParent(steps.graph, name, false)) continue;
    const refused = inactivateRecurse(steps, name);
    if (refused !== null) fail(msg.inactivateAllFailed(refused));
  }
}
