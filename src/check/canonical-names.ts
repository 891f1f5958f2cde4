/**
 * Canonical names for what a snapshot numbers by the path that made it: a backend by its owner,
 * an edge by who holds it and under what name, a generated node (`#block<n>`) by its driver and
 * child. Two command sequences that build the same graph give it the same names.
 */
import { getBackend, getEdge } from '../graph/graph.js';
import type { Backend, BlockNode, Graph, ParentRef } from '../graph/types.js';

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
