/**
 * The running sum of a snapshot's node, edge and backend fragment hashes, remembered for each
 * snapshot: given the snapshot a state was reached from, only the entries its command changed are
 * hashed. Fragments that name generated nodes are kept apart, to be renamed by the caller, and so
 * are those of leaked backends and their edges, to be counted once.
 */
import { diffShards, shardValueList } from '../graph/shard-walk.js';
import { foldable, foldableEdge, namesGenerated } from './canonical-names.js';
import { writeBackend, writeEdge, writeNode } from './state-fragments.js';
import { addHashes, EDGES, type Fingerprint, fragmentHash64, NODES, REST, subtractHash, ZERO } from './state-hash.js';
import type { Backend, BlockNode, Edge, Graph } from '../graph/types.js';

/** A snapshot's nodes, edges and backends: the sum of their fragments' hashes, and the renamed ones apart. */
export interface Tally {
  readonly sum: Fingerprint;
  readonly nodes: readonly BlockNode[];
  readonly edges: readonly Edge[];
  readonly backends: readonly Backend[];
}

const tallies = new WeakMap<Graph, Tally>();

export function tallyOf(g: Graph, from: Graph | undefined): Tally {
  let tally = tallies.get(g);
  if (tally) return tally;
  const before = from && tallies.get(from);
  tally = before ? tallyChanges(before, from!, g) : tallyAll(g);
  tallies.set(g, tally);
  return tally;
}

const nodeHashOf = (g: Graph, n: BlockNode): Fingerprint | undefined => fragmentHash(nodeHash, n, NODES, () => writeNode(g, n));
const edgeHashOf = (g: Graph, e: Edge): Fingerprint | undefined => fragmentHash(edgeHash, e, EDGES, () => writeEdge(g, e), () => foldableEdge(g, e));
const backendHashOf = (b: Backend): Fingerprint | undefined => fragmentHash(backendHash, b, REST, () => writeBackend(b), () => foldable(b));

function tallyAll(g: Graph): Tally {
  let sum = ZERO;
  const nodes: BlockNode[] = [];
  const edges: Edge[] = [];
  const backends: Backend[] = [];
  for (const n of shardValueList(g.nodes)) {
    const h = nodeHashOf(g, n);
    if (h === undefined) nodes.push(n);
    else sum = addHashes(sum, h);
  }
  for (const e of shardValueList(g.edges)) {
    const h = edgeHashOf(g, e);
    if (h === undefined) edges.push(e);
    else sum = addHashes(sum, h);
  }
  for (const b of shardValueList(g.backends)) {
    const h = backendHashOf(b);
    if (h === undefined) backends.push(b);
    else sum = addHashes(sum, h);
  }
  return { sum, nodes, edges, backends };
}

/** `g`'s tally from that of `from`: what the command removed taken out, what it added put in. */
function tallyChanges(before: Tally, from: Graph, g: Graph): Tally {
  let sum = before.sum;
  const track = <T>(list: readonly T[], hashOf: (value: T, at: Graph) => Fingerprint | undefined) => {
    let own: T[] | undefined;
    return {
      removed(value: T): void {
        const h = hashOf(value, from);
        if (h !== undefined) sum = subtractHash(sum, h);
        else {
          own ??= list.slice();
          const at = own.indexOf(value);
          if (at >= 0) own.splice(at, 1);
        }
      },
      added(value: T): void {
        const h = hashOf(value, g);
        if (h !== undefined) sum = addHashes(sum, h);
        else (own ??= list.slice()).push(value);
      },
      list: (): readonly T[] => own ?? list,
    };
  };
  const nodes = track(before.nodes, (n, at) => nodeHashOf(at, n));
  const edges = track(before.edges, (e, at) => edgeHashOf(at, e));
  const backends = track(before.backends, backendHashOf);
  diffShards(from.nodes, g.nodes, nodes.removed, nodes.added);
  diffShards(from.edges, g.edges, edges.removed, edges.added);
  diffShards(from.backends, g.backends, backends.removed, backends.added);
  return { sum, nodes: nodes.list(), edges: edges.list(), backends: backends.list() };
}

/** Fragments' hashes by object; APART for one kept out of the sum (see fragmentHash()). */
const APART: Fingerprint = { hi: -1, lo: -1 };
const nodeHash = new WeakMap<BlockNode, Fingerprint>();
const edgeHash = new WeakMap<Edge, Fingerprint>();
const backendHash = new WeakMap<Backend, Fingerprint>();

/**
 * A fragment's hash; undefined for one kept apart, for the caller to add: one that names a
 * generated node (to be renamed), or a leaked backend's or its edge's (`folded`: to be counted once).
 */
function fragmentHash<T extends object>(cache: WeakMap<T, Fingerprint>, of: T, section: number, text: () => string, folded?: () => boolean): Fingerprint | undefined {
  let h = cache.get(of);
  if (h === undefined) {
    const fragment = text();
    h = namesGenerated(fragment) || folded?.() ? APART : fragmentHash64(fragment, section);
    cache.set(of, h);
  }
  return h === APART ? undefined : h;
}
