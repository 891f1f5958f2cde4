/**
 * Canonical names for what a snapshot numbers by the path that made it: a backend by its owner,
 * an edge by who holds it and under what name, a generated node (`#block<n>`) by its driver and
 * child. Two command sequences that build the same graph give it the same names.
 */
import { getBackend, getEdge, isLeaked } from '../graph/graph.js';
import type { Backend, BlockNode, Edge, EdgeId, Graph, ParentRef } from '../graph/types.js';

export const ownerKey = (b: Backend | undefined): string =>
  !b ? '?' : b.owner.kind === 'internal' ? `i:${b.owner.purpose}` : `${b.owner.kind[0]}:${b.owner.id}`;

export function parentKey(g: Graph, p: ParentRef): string {
  if (p.kind === 'node') return p.node;
  if (p.kind === 'job') return `j:${p.job}`;
  return `b:${ownerKey(getBackend(g, p.backend))}`;
}

/** Who holds this edge and under what name: fixed for the edge's life, whatever it points at. */
export function edgeHolder(g: Graph, id: number): string {
  const e = getEdge(g, id);
  return e ? `${parentKey(g, e.parent)}/${e.name}` : '?';
}

/**
 * A backend whose copies count as one: QEMU left it behind, nothing detaches it, and it shares
 * what it takes, so no copy conflicts with another and a second adds no perm (docs/testing.md,
 * "Leaked backends"). Its fragment and its edge's are kept once in a state's identity.
 */
export const foldable = (b: Backend | undefined): boolean => b !== undefined && isLeaked(b) && (b.perm & ~b.shared) === 0;

export const foldableEdge = (g: Graph, e: Edge): boolean => e.parent.kind === 'backend' && foldable(getBackend(g, e.parent.backend));

/** The holders of a node's parent edges, a foldable backend's once. */
export function parentHolders(g: Graph, parents: readonly EdgeId[]): string[] {
  const holders: string[] = [];
  for (const id of parents) {
    const holder = edgeHolder(g, id);
    const e = getEdge(g, id);
    if (!(e && foldableEdge(g, e) && holders.includes(holder))) holders.push(holder);
  }
  return holders;
}

/** The fragments of `values`, each foldable one once (`fold` says which are). */
export function foldedFragments<T>(values: readonly T[], fragment: (value: T) => string, fold: (value: T) => boolean): string[] {
  const out: string[] = [];
  const once = new Set<string>();
  for (const v of values) {
    const text = fragment(v);
    if (!fold(v)) out.push(text);
    else if (!once.has(text)) (once.add(text), out.push(text));
  }
  return out;
}

const GENERATED = /#block\d+/g;

/** Generated names by what they are: `#<driver>><first child>`, numbered when that is not unique. */
export function generatedNames(g: Graph, generated: readonly BlockNode[]): Map<string, string> {
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

/** The text with every generated name that `names` knows put as it says. */
export function renameGenerated(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(GENERATED, (m) => names.get(m) ?? m);
}

/** Whether a text names a generated node (and so must be renamed before it is compared). */
export const namesGenerated = (text: string): boolean => text.includes('#block');
