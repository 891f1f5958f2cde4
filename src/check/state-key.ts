/**
 * A state's canonical identity, read straight off the snapshot: what two command sequences must
 * agree on to lead to the same future. Path-dependent numbering is left out (edge and backend ids
 * become their parent, name and child; generated node names become their driver and child; the
 * clock goes, a job's progress stays). Each node's, edge's and job's fragment is cached on the
 * object itself: a command keeps the objects it does not change, so a new state pays only for what its
 * command changed. stateKey() folds the fragments into a 53-bit hash.
 */
import { getBackend, getEdge } from '../graph/graph.js';
import { diffShards, shardValueList } from '../graph/shards.js';
import { viewOf } from '../invariants/view.js';
import type { Backend, BlockNode, Edge, Graph, Job, ParentRef } from '../graph/types.js';

const nodeText = new WeakMap<BlockNode, string>();
const edgeText = new WeakMap<Edge, string>();
const jobText = new WeakMap<Job, string>();
const backendText = new WeakMap<Backend, string>();

const ownerKey = (b: Backend | undefined): string =>
  !b ? '?' : b.owner.kind === 'internal' ? `i:${b.owner.purpose}` : `${b.owner.kind[0]}:${b.owner.id}`;

function parentKey(g: Graph, p: ParentRef): string {
  if (p.kind === 'node') return p.node;
  if (p.kind === 'job') return `j:${p.job}`;
  return `b:${ownerKey(getBackend(g, p.backend))}`;
}

/** Who holds this edge and under what name: fixed for the edge's life, whatever it points at. */
function edgeHolder(g: Graph, id: number): string {
  const e = getEdge(g, id);
  return e ? `${parentKey(g, e.parent)}/${e.name}` : '?';
}

function edgeFragment(g: Graph, e: Edge): string {
  let text = edgeText.get(e);
  if (text === undefined) {
    text = `${parentKey(g, e.parent)}>${e.child}/${e.name}/${e.role}/${e.perm}/${e.shared}`;
    edgeText.set(e, text);
  }
  return text;
}

function nodeFragment(g: Graph, n: BlockNode): string {
  let text = nodeText.get(n);
  if (text === undefined) {
    const f = n.file;
    const c = n.machine.context;
    text =
      `${n.name}|${n.driver}|${n.machine.value}|${+n.readOnly}${+n.readOnlyOption}${+n.autoReadOnly}${+n.forceShare}${+n.monitorOwned}${+n.implicit}` +
      `|${+c.readOnly}${+c.autoReadOnly}|${f ? `${f.mode}/${f.perm}/${f.shared}` : ''}|${n.size}|${n.inheritsFrom ?? ''}|${optionsText(n.options)}` +
      `|p:${n.parents.map((id) => edgeHolder(g, id)).join(',')}|c:${n.children.map((id) => getEdge(g, id)?.name ?? '?').join(',')}`;
    nodeText.set(n, text);
  }
  return text;
}

function jobFragment(j: Job): string {
  let text = jobText.get(j);
  if (text === undefined) {
    text =
      `${j.id}|${j.type}|${j.status}|${j.offset}/${j.len}/${j.speed}|${+j.autoFinalize}${+j.autoDismiss}${+j.userPaused}${+j.cancelled}` +
      `|${j.completing ?? ''}|${j.device}|${j.filter ?? ''}|${JSON.stringify(j.plan)}|${j.edges.length}/${j.backends.length}`;
    jobText.set(j, text);
  }
  return text;
}

function backendFragment(b: Backend): string {
  let text = backendText.get(b);
  if (text === undefined) {
    text = `${ownerKey(b)}|${b.name}|${b.perm}/${b.shared}|${b.edge === null ? '-' : '+'}`;
    backendText.set(b, text);
  }
  return text;
}

/** A node's options as JSON, once per options object (a node's copies share it). */
const optionsTexts = new WeakMap<object, string>();
function optionsText(options: BlockNode['options']): string {
  let text = optionsTexts.get(options);
  if (text === undefined) {
    text = JSON.stringify(options);
    optionsTexts.set(options, text);
  }
  return text;
}

const GENERATED = /#block\d+/g;

/** Generated names by what they are: `#<driver>><first child>`, numbered when that is not unique. */
function generatedNames(g: Graph, generated: readonly BlockNode[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Map<string, number>();
  for (const n of [...generated].sort((a, b) => a.seq - b.seq)) {
    const child = n.children.length ? getEdge(g, n.children[n.children.length - 1]!)?.child : undefined;
    const base = `#${n.driver}>${child ?? ''}`;
    const k = taken.get(base) ?? 0;
    taken.set(base, k + 1);
    names.set(n.name, k ? `${base}~${k}` : base);
  }
  return names;
}

/** The canonical text of a state (snapshot plus the storage's key). */
export function stateText(g: Graph, storageKey: string): string {
  const nodes: string[] = [];
  const generated: BlockNode[] = [];
  const view = viewOf(g);
  for (const n of view.nodes) {
    nodes.push(nodeFragment(g, n));
    if (n.generated) generated.push(n);
  }
  const edges: string[] = [];
  for (const e of view.edges) edges.push(edgeFragment(g, e));
  const rest: string[] = [];
  for (const b of view.backends) rest.push(backendFragment(b));
  for (const x of view.exports) rest.push(`x:${x.id}|${x.nodeName}|${x.name}|${+x.writable}`);
  for (const j of Object.values(g.jobs)) rest.push(jobFragment(j));
  const text = `${nodes.sort().join('\n')}\n${edges.sort().join('\n')}\n${rest.sort().join('\n')}\n${g.nbdServer ? 'nbd' : ''}|${Object.keys(g.objects).length ? JSON.stringify(g.objects) : ''}|${storageKey}`;
  if (generated.length === 0) return text;
  const names = generatedNames(g, generated);
  return text.replace(GENERATED, (m) => names.get(m) ?? m);
}

/** cyrb53: a fast 53-bit string hash. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The hash of stateText() without building it: each fragment's hash (remembered for its object,
 * like the fragment) is added up by section, which gives the same for the same fragments in any
 * order, as sorting them does. The sum over nodes, edges and backends is remembered for each
 * snapshot; given the snapshot a state was reached `from`, only the entries the command changed
 * are hashed. Fragments that name generated nodes are renamed first, each time.
 */
export function stateKey(g: Graph, storageKey: string, from?: Graph): number {
  const tally = tallyOf(g, from);
  let key = tally.sum;
  // every generated node names itself, so it is among the renamed
  const generated = tally.nodes.filter((n) => n.generated);
  const names = generated.length ? generatedNames(g, generated) : undefined;
  for (const n of tally.nodes) key = addHashes(key, textHash(nodeFragment(g, n), NODES, names));
  for (const e of tally.edges) key = addHashes(key, textHash(edgeFragment(g, e), EDGES, names));
  for (const b of tally.backends) key = addHashes(key, textHash(backendFragment(b), REST, names));
  for (const x of shardValueList(g.exports)) key = addHashes(key, textHash(`x:${x.id}|${x.nodeName}|${x.name}|${+x.writable}`, REST, names));
  for (const id in g.jobs) key = addHashes(key, textHash(jobFragment(g.jobs[id]!), REST, names));
  const tail = `${g.nbdServer ? 'nbd' : ''}|${Object.keys(g.objects).length ? JSON.stringify(g.objects) : ''}|${storageKey}`;
  return addHashes(key, textHash(tail, TAIL, names));
}

/** A snapshot's nodes, edges and backends: the sum of their fragments' hashes, and the renamed ones apart. */
interface Tally {
  readonly sum: number;
  readonly nodes: readonly BlockNode[];
  readonly edges: readonly Edge[];
  readonly backends: readonly Backend[];
}

const tallies = new WeakMap<Graph, Tally>();

function tallyOf(g: Graph, from: Graph | undefined): Tally {
  let tally = tallies.get(g);
  if (tally) return tally;
  const before = from && tallies.get(from);
  tally = before ? tallyChanges(before, from!, g) : tallyAll(g);
  tallies.set(g, tally);
  return tally;
}

const nodeHashOf = (g: Graph, n: BlockNode): number | undefined => fragmentHash(nodeHash, n, NODES, () => nodeFragment(g, n));
const edgeHashOf = (g: Graph, e: Edge): number | undefined => fragmentHash(edgeHash, e, EDGES, () => edgeFragment(g, e));
const backendHashOf = (b: Backend): number | undefined => fragmentHash(backendHash, b, REST, () => backendFragment(b));

function tallyAll(g: Graph): Tally {
  let sum = 0;
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
  const track = <T>(list: readonly T[], hashOf: (value: T, at: Graph) => number | undefined) => {
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

/** Seeds that keep the sections apart (a fragment counts only in its own section). */
const NODES = 1;
const EDGES = 2;
const REST = 3;
const TAIL = 4;

/** Fragments' hashes by object; RENAMED for one that names a generated node. */
const RENAMED = -1;
const nodeHash = new WeakMap<BlockNode, number>();
const edgeHash = new WeakMap<Edge, number>();
const backendHash = new WeakMap<Backend, number>();

/** A fragment's hash; undefined for one that names a generated node (it is renamed by the caller). */
function fragmentHash<T extends object>(cache: WeakMap<T, number>, of: T, section: number, text: () => string): number | undefined {
  let h = cache.get(of);
  if (h === undefined) {
    const fragment = text();
    h = fragment.includes('#block') ? RENAMED : hash53(fragment, section);
    cache.set(of, h);
  }
  return h === RENAMED ? undefined : h;
}

/** 2^53: the hashes' sums are taken modulo this, exactly. */
const HASH_RANGE = 2 ** 53;

/** a + b modulo 2^53, for a and b below it (a - 2^53 + b stays where a double is exact). */
function addHashes(a: number, b: number): number {
  const sum = a - HASH_RANGE + b;
  return sum < 0 ? sum + HASH_RANGE : sum;
}

const subtractHash = (a: number, b: number): number => (b === 0 ? a : addHashes(a, HASH_RANGE - b));

function textHash(text: string, section: number, names: ReadonlyMap<string, string> | undefined): number {
  return hash53(names ? text.replace(GENERATED, (m) => names.get(m) ?? m) : text, section);
}

