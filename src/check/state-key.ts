/**
 * A state's canonical identity, read straight off the snapshot: what two command sequences must
 * agree on to lead to the same future. Path-dependent numbering is left out (edge and backend ids
 * become their parent, name and child; generated node names become their driver and child; the
 * clock goes, a job's progress stays). Each node's, edge's and job's fragment is cached on the
 * object itself: a snapshot shares every object its command left unchanged, so a new state pays only for what its
 * command changed. The text is folded into a 53-bit hash.
 */
import { getBackend, getEdge } from '../graph/graph.js';
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
      `|${+c.readOnly}${+c.autoReadOnly}|${f ? `${f.mode}/${f.perm}/${f.shared}` : ''}|${n.size}|${n.inheritsFrom ?? ''}|${JSON.stringify(n.options)}` +
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

export const stateKey = (g: Graph, storageKey: string): number => hash53(stateText(g, storageKey));

