/**
 * What a refused command blames, read from QEMU's error text against the snapshot the command was
 * refused on (a refused command changes nothing):
 * - a permission conflict: its node, and its two edges (the one that requires the perm, the one
 *   that does not share it); the newer may be the edge the command tried to add, and so missing;
 * - a file lock that could not be taken: the nodes that hold the same file open;
 * - otherwise the nodes the error names, or failing that the existing nodes the command names.
 */
import type { QmpReply } from '../qapi/reply.js';
import { allEdges, describeParent, getNode, nodesInOrder } from '../graph/graph.js';
import type { Graph } from '../graph/types.js';
import type { Blame } from './view-types.js';

const CONFLICT =
  /^Permission conflict on node '([^']*)': permissions '[^']*' are both required by (.+?) \(uses node '[^']*' as '([^']*)' child\) and unshared by (.+?) \(uses node '[^']*' as '([^']*)' child\)\.$/;
const LOCK = /^Failed to get (shared )?"[^"]*" lock$/;
const NAMED = /'([^']+)'|node-name=([^\s,']+)|Node (\S+) is|Block device (\S+) is/g;

/** Every string in the command's arguments, with the key it stands under. */
function* strings(value: unknown, key = ''): Generator<readonly [string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const item of value) yield* strings(item, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, k);
}

const unique = (names: readonly string[]): string[] => names.filter((name, i) => names.indexOf(name) === i);

function conflictBlame(graph: Graph, match: RegExpExecArray): Blame {
  const [, node = '', requiredBy = '', requiredEdge = '', unsharedBy = '', unsharedEdge = ''] = match;
  const edges: number[] = [];
  const refused: { parent: string; child: string; name: string }[] = [];
  for (const [parent, name] of [[requiredBy, requiredEdge], [unsharedBy, unsharedEdge]] as const) {
    const edge = allEdges(graph).find(
      (e) => e.child === node && e.name === name && !edges.includes(e.id) && describeParent(graph, e.parent) === parent,
    );
    if (edge) edges.push(edge.id);
    else refused.push({ parent, child: node, name });
  }
  return { nodes: [node], edges, refused };
}

/** The file nodes that hold open a file the command opens or names. */
function lockHolders(graph: Graph, args: unknown): string[] {
  const paths = new Set<string>();
  const identities = new Set<string>();
  for (const [key, value] of strings(args)) {
    if (key === 'filename') paths.add(value);
    const file = getNode(graph, value)?.file;
    if (file) identities.add(file.identity);
  }
  return nodesInOrder(graph)
    .filter((n) => n.file && (paths.has(n.file.path) || identities.has(n.file.identity)))
    .map((n) => n.name);
}

export function blameFor(graph: Graph, reply: QmpReply | undefined, args?: unknown): Blame | null {
  if (!reply || !('error' in reply)) return null;
  const desc = reply.error.desc;
  const conflict = CONFLICT.exec(desc);
  if (conflict) return conflictBlame(graph, conflict);
  if (LOCK.test(desc)) return { nodes: lockHolders(graph, args), edges: [], refused: [] };
  const named = unique([...desc.matchAll(NAMED)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '')).filter((name) => getNode(graph, name));
  const nodes = named.length ? named : unique([...strings(args)].map(([, value]) => value)).filter((name) => getNode(graph, name));
  return { nodes, edges: [], refused: [] };
}
