/**
 * What changed between two snapshots, for traces: nodes added or removed, `ro` flips, open-mode
 * flips of files, and edges whose perm or shared changed. Nodes a command did not touch keep
 * their identity, so they cost nothing here.
 */
import { allEdges, getNode, nodesInOrder, parentLabel } from '../graph/graph.js';
import type { Edge, Graph } from '../graph/types.js';
import { permLetters } from '../perms/perm.js';

export type Change =
  | { readonly kind: 'node-added' | 'node-removed'; readonly node: string; readonly driver: string }
  | { readonly kind: 'ro'; readonly node: string; readonly from: boolean; readonly to: boolean; readonly state: string }
  | { readonly kind: 'open-mode'; readonly node: string; readonly path: string; readonly from: string; readonly to: string }
  | { readonly kind: 'edge-moved'; readonly edge: string; readonly to: string; readonly perms: string }
  | {
      readonly kind: 'edge';
      readonly edge: string;
      readonly from: string | null;
      readonly to: string | null;
    };

const edgeLabel = (g: Graph, e: Edge): string => `${parentLabel(g, e.parent)} -${e.name}-> ${e.child}`;
const permsOf = (e: Edge): string => `${permLetters(e.perm)}/${permLetters(e.shared)}`;

export function diffGraphs(before: Graph, after: Graph): Change[] {
  if (before === after) return [];
  const changes: Change[] = [];
  for (const node of nodesInOrder(after)) {
    const old = getNode(before, node.name);
    if (old === node) continue;
    if (!old) {
      changes.push({ kind: 'node-added', node: node.name, driver: node.driver });
      continue;
    }
    if (old.readOnly !== node.readOnly) {
      changes.push({ kind: 'ro', node: node.name, from: old.readOnly, to: node.readOnly, state: node.machine.value });
    }
    if (old.file && node.file && old.file.mode !== node.file.mode) {
      changes.push({ kind: 'open-mode', node: node.name, path: node.file.path, from: old.file.mode, to: node.file.mode });
    }
  }
  for (const node of nodesInOrder(before)) {
    if (!getNode(after, node.name)) changes.push({ kind: 'node-removed', node: node.name, driver: node.driver });
  }
  const edgesBefore = new Map(allEdges(before).map((e) => [e.id, e]));
  for (const edge of allEdges(after)) {
    const old = edgesBefore.get(edge.id);
    edgesBefore.delete(edge.id);
    if (old === edge) continue;
    if (!old) changes.push({ kind: 'edge', edge: edgeLabel(after, edge), from: null, to: permsOf(edge) });
    else if (old.child !== edge.child) {
      changes.push({ kind: 'edge-moved', edge: edgeLabel(before, old), to: edge.child, perms: permsOf(edge) });
    } else if (old.perm !== edge.perm || old.shared !== edge.shared) {
      changes.push({ kind: 'edge', edge: edgeLabel(after, edge), from: permsOf(old), to: permsOf(edge) });
    }
  }
  for (const old of edgesBefore.values()) changes.push({ kind: 'edge', edge: edgeLabel(before, old), from: permsOf(old), to: null });
  return changes;
}
