/**
 * The canonical text of each node, edge, backend, export and job of a state: what of it two
 * command sequences must agree on. Each fragment is cached on the object itself: a command keeps
 * the objects it does not change, so a new state pays only for what its command changed.
 */
import { getEdge } from '../graph/graph.js';
import { edgeHolder, ownerKey, parentKey } from './canonical-names.js';
import type { Backend, BlockExport, BlockNode, Edge, Graph, Job } from '../graph/types.js';

const nodeText = new WeakMap<BlockNode, string>();
const edgeText = new WeakMap<Edge, string>();
const jobText = new WeakMap<Job, string>();
const backendText = new WeakMap<Backend, string>();

export function edgeFragment(g: Graph, e: Edge): string {
  let text = edgeText.get(e);
  if (text === undefined) {
    text = `${parentKey(g, e.parent)}>${e.child}/${e.name}/${e.role}/${e.perm}/${e.shared}`;
    edgeText.set(e, text);
  }
  return text;
}

export function nodeFragment(g: Graph, n: BlockNode): string {
  let text = nodeText.get(n);
  if (text === undefined) {
    const f = n.file;
    const c = n.machine.context;
    text =
      `${n.name}|${n.driver}|${n.machine.value}|${+n.readOnly}${+n.forceShare}${+n.monitorOwned}${+n.implicit}` +
      `|${+c.readOnly}${+c.autoReadOnly}|${f ? `${f.mode}/${f.perm}/${f.shared}` : ''}|${n.size}|${n.inheritsFrom ?? ''}|${optionsText(n.options)}` +
      `|p:${n.parents.map((id) => edgeHolder(g, id)).join(',')}|c:${n.children.map((id) => getEdge(g, id)?.name ?? '?').join(',')}` +
      (n.inactive ? '|inactive' : '') +
      (n.bitmaps?.length ? `|bm:${JSON.stringify(n.bitmaps)}` : '') +
      (n.snapshots?.length ? `|sn:${JSON.stringify(n.snapshots)}` : '') +
      (n.writeThreshold ? `|wt:${n.writeThreshold}` : '');
    nodeText.set(n, text);
  }
  return text;
}

export function jobFragment(j: Job): string {
  let text = jobText.get(j);
  if (text === undefined) {
    text =
      `${j.id}|${j.type}|${j.status}|${j.offset}/${j.len}/${j.speed}|${+j.autoFinalize}${+j.autoDismiss}${+j.userPaused}${+j.cancelled}` +
      `|${j.completing ?? ''}|${j.device}|${j.filter ?? ''}|${JSON.stringify(j.plan)}|${j.edges.length}/${j.backends.length}`;
    jobText.set(j, text);
  }
  return text;
}

export function backendFragment(b: Backend): string {
  let text = backendText.get(b);
  if (text === undefined) {
    text = `${ownerKey(b)}|${b.name}|${b.perm}/${b.shared}|${b.edge === null ? '-' : '+'}${b.disablePerm ? '|disabled' : ''}${b.forceAllowInactivate ? '|allow-inactive' : ''}`;
    backendText.set(b, text);
  }
  return text;
}

/** An export's fragment (not cached: exports are few and cheap to write out). */
export const exportFragment = (x: BlockExport): string =>
  `x:${x.id}|${x.nodeName}|${x.name}|${+x.writable}${x.bitmaps?.length ? `|bm:${JSON.stringify(x.bitmaps)}` : ''}`;

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
