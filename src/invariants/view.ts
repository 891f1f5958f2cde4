/**
 * One snapshot read once for all the invariants: its nodes, edges and backends as arrays, and each
 * node's parent edges and cumulative perm. Kept per snapshot object (snapshots never change), so
 * every invariant, and the explorer's state key, walk the shards only once.
 */
import { getEdge } from '../graph/graph.js';
import { shardValueList } from '../graph/shard-walk.js';
import type { Backend, BlockExport, BlockNode, Edge, Graph, NodeName } from '../graph/types.js';
import { PERM_ALL, type PermSet } from '../perms/perm.js';

export interface SnapshotView {
  readonly nodes: readonly BlockNode[];
  readonly edges: readonly Edge[];
  readonly backends: readonly Backend[];
  readonly exports: readonly BlockExport[];
  parents(node: BlockNode): readonly Edge[];
  /** P(N) and S(N): OR of the parents' perm, AND of their shared. */
  cumulative(node: BlockNode): { readonly perm: PermSet; readonly shared: PermSet };
}


const views = new WeakMap<Graph, SnapshotView>();

export function viewOf(g: Graph): SnapshotView {
  let view = views.get(g);
  if (view) return view;
  const parents = new Map<NodeName, Edge[]>();
  const cumulative = new Map<NodeName, { perm: PermSet; shared: PermSet }>();
  const parentsOf = (node: BlockNode): Edge[] => {
    let list = parents.get(node.name);
    if (!list) {
      list = [];
      for (const id of node.parents) {
        const edge = getEdge(g, id);
        if (edge) list.push(edge);
      }
      parents.set(node.name, list);
    }
    return list;
  };
  view = {
    nodes: shardValueList(g.nodes),
    edges: shardValueList(g.edges),
    backends: shardValueList(g.backends),
    exports: shardValueList(g.exports),
    parents: parentsOf,
    cumulative(node) {
      let c = cumulative.get(node.name);
      if (!c) {
        let perm = 0;
        let shared = PERM_ALL;
        for (const e of parentsOf(node)) {
          perm |= e.perm;
          shared &= e.shared;
        }
        c = { perm, shared };
        cumulative.set(node.name, c);
      }
      return c;
    },
  };
  views.set(g, view);
  return view;
}
