/**
 * What a refused command blames, read from QEMU's error text against the snapshot the command was
 * refused on: the node named by the error, and for a permission conflict the two edges (the one
 * that requires the perm, the one that does not share it), of which the newer may be the edge the
 * command tried to add and so not in the graph.
 */
import type { QmpReply } from '../core/dispatch.js';
import { allEdges, describeParent, getNode } from '../graph/graph.js';
import type { Graph } from '../graph/types.js';
import type { Blame } from './view-types.js';

const CONFLICT =
  /^Permission conflict on node '([^']*)': permissions '[^']*' are both required by (.+?) \(uses node '[^']*' as '([^']*)' child\) and unshared by (.+?) \(uses node '[^']*' as '([^']*)' child\)\.$/;
const READ_ONLY_WITH_WRITERS = /^Read-only block node '([^']*)' cannot support read-write users$/;
const QUOTED = /'([^']+)'|node-name=([^\s,']+)|Node (\S+) is|Block device (\S+) is/g;

export function blameFor(graph: Graph, reply: QmpReply | undefined): Blame | null {
  if (!reply || !('error' in reply)) return null;
  const desc = reply.error.desc;
  const conflict = CONFLICT.exec(desc);
  if (conflict) {
    const [, node = '', requiredBy = '', requiredEdge = '', unsharedBy = '', unsharedEdge = ''] = conflict;
    const edges: number[] = [];
    const refused: { parent: string; child: string; name: string }[] = [];
    for (const [parent, name] of [[requiredBy, requiredEdge], [unsharedBy, unsharedEdge]] as const) {
      const edge = allEdges(graph).find((e) => e.child === node && e.name === name && describeParent(graph, e.parent) === parent);
      if (edge) edges.push(edge.id);
      else refused.push({ parent, child: node, name });
    }
    return { nodes: [node], edges, refused };
  }
  const readOnly = READ_ONLY_WITH_WRITERS.exec(desc);
  if (readOnly) return { nodes: [readOnly[1] ?? ''], edges: [], refused: [] };
  const nodes = [...desc.matchAll(QUOTED)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '')
    .filter((name, i, all) => getNode(graph, name) && all.indexOf(name) === i);
  return { nodes, edges: [], refused: [] };
}
