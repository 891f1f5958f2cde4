/**
 * Walking down a backing chain (block.c: bdrv_filter_or_cow_bs(), bdrv_chain_contains()) and the
 * links a running commit freezes on the way (bdrv_freeze_backing_chain()).
 */
import { childByName, getNode, jobsInOrder } from '../graph/graph.js';
import { fileChildOf } from '../graph/file-child.js';
import type { Graph, NodeName } from '../graph/types.js';
import { FILTER_DRIVERS } from '../drivers/registry.js';

/** The next node down a chain: a filter's child or an image's backing (bdrv_filter_or_cow_bs). */
export function belowInChain(graph: Graph, name: NodeName): NodeName | null {
  const node = getNode(graph, name);
  if (!node) return null;
  const edge = childByName(graph, node, 'backing') ?? (isFilter(node.driver) ? fileChildOf(graph, node) : undefined);
  return edge?.child ?? null;
}

/** A filter driver: its `file` child (bs->file) continues the chain. */
export function isFilter(driver: string): boolean {
  return (FILTER_DRIVERS as ReadonlySet<string>).has(driver);
}

/** bdrv_skip_filters(): the first node at or below `name` that is not a filter. */
export function skipFilters(graph: Graph, name: NodeName): NodeName {
  let iter = name;
  for (;;) {
    const node = getNode(graph, iter);
    if (!node || !isFilter(node.driver)) return iter;
    const below = belowInChain(graph, iter);
    if (!below) return iter;
    iter = below;
  }
}

/** bdrv_backing_chain_next(): the next image down from `name` (its backing), filters skipped. */
function backingChainNext(graph: Graph, name: NodeName): NodeName | null {
  const image = getNode(graph, skipFilters(graph, name));
  const backing = image && childByName(graph, image, 'backing');
  return backing ? skipFilters(graph, backing.child) : null;
}

/**
 * bdrv_find_overlay(): the image of `active`'s chain whose next image down is `base` (`base`
 * null: the chain's last image), filters skipped; null when there is none.
 */
export function findOverlay(graph: Graph, active: NodeName, base: NodeName | null): NodeName | null {
  const below = base === null ? null : skipFilters(graph, base);
  let iter: NodeName | null = skipFilters(graph, active);
  while (iter !== null && backingChainNext(graph, iter) !== below) iter = backingChainNext(graph, iter);
  return iter;
}

/** bdrv_chain_contains(): `node` is `top` or below it in its chain. */
export function chainContains(graph: Graph, top: NodeName, node: NodeName): boolean {
  for (let iter: NodeName | null = top; iter; iter = belowInChain(graph, iter)) if (iter === node) return true;
  return false;
}

/**
 * bdrv_freeze_backing_chain(): a commit (and an active commit) freezes the links from its filter
 * down to the base until it ends (commit_start(), mirror_start_job()); `child` is the node the
 * link from `parent` leads to now. Derived from the jobs, as blockers are.
 */
export function isFrozenLink(graph: Graph, parent: NodeName, child: NodeName): boolean {
  for (const job of jobsInOrder(graph)) {
    const { plan, filter } = job;
    if (filter === null) continue;
    const base = plan.kind === 'commit' ? plan.base : plan.kind === 'mirror' && plan.isCommit ? plan.target : null;
    if (base === null) continue;
    for (let iter: NodeName | null = filter; iter !== null && iter !== base; ) {
      const below = belowInChain(graph, iter);
      if (iter === parent && below === child) return true;
      iter = below;
    }
  }
  return false;
}
