/**
 * Activating nodes (block.c: bdrv_activate(), bdrv_activate_all(); block-backend.c:
 * blk_root_activate()): a node's children first, then the node loses BDRV_O_INACTIVE and its
 * permissions are refreshed, then the BlockBackends on it take the perms they were holding back.
 * Each is a step of its own: what was activated before a failure stays active.
 */
import { inactivateBitmaps, loadBitmapsOnOpen } from './bitmaps.js';
import { backendsInOrder, getBackend, getEdge, getNode, hasBackendParent, nodesInOrder, parentEdges } from '../graph/graph.js';
import type { BackendId, Graph, NodeName } from '../graph/types.js';
import { PERM_ALL } from '../perms/perm.js';
import { enableBackendPerm, setBackendPerm } from './backends.js';
import type { Steps } from './steps.js';

/** Every node at or below `top`, each after its children (in bs->children order), once. */
function childrenFirst(graph: Graph, top: NodeName): NodeName[] {
  const out: NodeName[] = [];
  const seen = new Set<NodeName>();
  const stack: { readonly name: NodeName; readonly done: boolean }[] = [{ name: top, done: false }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.done) {
      out.push(item.name);
      continue;
    }
    if (seen.has(item.name)) continue;
    seen.add(item.name);
    stack.push({ name: item.name, done: true });
    const children = getNode(graph, item.name)!.children.map((id) => getEdge(graph, id)!.child);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ name: children[i]!, done: false });
  }
  return out;
}

/**
 * blk_root_activate(): the backend's perm with all shared, then its own shared. A refusal leaves
 * its perms disabled again and the node inactive, without a refresh, as QEMU does.
 */
function activateBackend(steps: Steps, node: NodeName, id: BackendId): void {
  const { perm, shared } = getBackend(steps.graph, id)!;
  try {
    steps.run((tx) => enableBackendPerm(tx, id, PERM_ALL));
    steps.run((tx) => setBackendPerm(tx, id, perm, shared));
  } catch (error) {
    steps.run((tx) => {
      tx.backend(id)!.disablePerm = true;
      tx.mustNode(node).inactive = true;
    });
    throw error;
  }
}

/** One node of bdrv_activate(): its flag and refresh, then the .activate of its parents. */
function activateOne(steps: Steps, name: NodeName): void {
  if (getNode(steps.graph, name)!.inactive) {
    steps.run((tx) => {
      tx.mustNode(name).inactive = false;
      // qcow2_co_invalidate_cache(): qcow2_close() stores and releases, qcow2_do_open() loads
      inactivateBitmaps(tx, name);
      loadBitmapsOnOpen(tx, name);
      tx.touch(name);
    });
  }
  for (const edge of parentEdges(steps.graph, getNode(steps.graph, name)!)) {
    if (edge.parent.kind !== 'backend') continue;
    if (getBackend(steps.graph, edge.parent.backend)?.disablePerm) activateBackend(steps, name, edge.parent.backend);
  }
}

/** bdrv_activate(): `name` and everything below it; the first failure is thrown. */
export function activate(steps: Steps, name: NodeName): void {
  for (const node of childrenFirst(steps.graph, name)) activateOne(steps, node);
}

/**
 * bdrv_first()/bdrv_next(): the root node of each BlockBackend (in creation order, once: by the
 * first backend among its parents), then the monitor's nodes that no BlockBackend holds. That
 * second walk goes on from the last root the first one gave (it->bs), so it starts after that
 * root in the monitor's list, or, when the root is no node of the monitor's, gives nothing.
 */
export function bdrvNextOrder(graph: Graph): NodeName[] {
  const roots: NodeName[] = [];
  for (const backend of backendsInOrder(graph)) {
    const child = backend.edge !== null ? getEdge(graph, backend.edge)?.child : undefined;
    const node = child !== undefined ? getNode(graph, child) : undefined;
    if (!node) continue;
    const first = parentEdges(graph, node).find((e) => e.parent.kind === 'backend');
    if (first?.parent.kind === 'backend' && first.parent.backend === backend.id) roots.push(node.name);
  }
  const monitor = nodesInOrder(graph).filter((node) => node.monitorOwned);
  const last = roots[roots.length - 1];
  const from = last === undefined ? 0 : monitor.findIndex((node) => node.name === last) + 1 || monitor.length;
  return [...roots, ...monitor.slice(from).filter((node) => !hasBackendParent(graph, node)).map((node) => node.name)];
}

/** bdrv_activate_all(): each node bdrv_next() gives, until one fails. */
export function activateAll(steps: Steps): void {
  for (const name of bdrvNextOrder(steps.graph)) activate(steps, name);
}
