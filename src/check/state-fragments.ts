/**
 * The canonical text of each node, edge, backend, export and job of a state: what of it two
 * command sequences must agree on. Each fragment is cached on the object itself: a command keeps
 * the objects it does not change, so a new state pays only for what its command changed.
 */
import { getEdge } from '../graph/graph.js';
import { ownerKey, parentHolders, parentKey } from './canonical-names.js';
import type { Backend, BlockExport, BlockNode, Edge, Graph, Job } from '../graph/types.js';

const nodeText = new WeakMap<BlockNode, string>();
const edgeText = new WeakMap<Edge, string>();
const jobText = new WeakMap<Job, string>();
const backendText = new WeakMap<Backend, string>();

/** An edge's fragment, written anew (edgeFragment() remembers it). */
export const writeEdge = (g: Graph, e: Edge): string => `${parentKey(g, e.parent)}>${e.child}/${e.name}/${e.role}/${e.perm}/${e.shared}`;

/** A node's fragment, written anew (nodeFragment() remembers it). */
export function writeNode(g: Graph, n: BlockNode): string {
  const f = n.file;
  const c = n.machine.context;
  return (
    `${n.name}|${n.driver}|${n.machine.value}|${+n.readOnly}${+n.forceShare}${+n.monitorOwned}${+n.implicit}` +
    `|${+c.readOnly}${+c.autoReadOnly}|${f ? `${f.mode}/${f.perm}/${f.shared}` : ''}|${n.size}|${n.inheritsFrom ?? ''}|${optionsText(n.options)}` +
    `|p:${parentHolders(g, n.parents).join(',')}|c:${n.children.map((id) => getEdge(g, id)?.name ?? '?').join(',')}` +
    (n.inactive ? '|inactive' : '') +
    (n.bitmaps?.length ? `|bm:${JSON.stringify(n.bitmaps)}` : '') +
    (n.header?.qcow2?.snapshots?.length ? `|sn:${JSON.stringify(n.header.qcow2.snapshots)}` : '') +
    (n.writeThreshold ? `|wt:${n.writeThreshold}` : '') +
    (n.iothread ? `|io:${n.iothread}` : '') +
    (n.vvfat?.openFile ? `|vv:${n.vvfat.openFile}` : '')
  );
}

/** A backend's fragment, written anew (backendFragment() remembers it). */
export const writeBackend = (b: Backend): string =>
  `${ownerKey(b)}|${b.name}|${b.perm}/${b.shared}|${b.edge === null ? '-' : '+'}${b.disablePerm ? '|disabled' : ''}${b.forceAllowInactivate ? '|allow-inactive' : ''}`;

function remembered<T extends object>(texts: WeakMap<T, string>, of: T, write: () => string): string {
  let text = texts.get(of);
  if (text === undefined) texts.set(of, (text = write()));
  return text;
}

export const edgeFragment = (g: Graph, e: Edge): string => remembered(edgeText, e, () => writeEdge(g, e));
export const nodeFragment = (g: Graph, n: BlockNode): string => remembered(nodeText, n, () => writeNode(g, n));
export const backendFragment = (b: Backend): string => remembered(backendText, b, () => writeBackend(b));

export const jobFragment = (j: Job): string =>
  remembered(
    jobText,
    j,
    () =>
      `${j.id}|${j.type}|${j.status}|${j.offset}/${j.len}/${j.speed}/${j.copied ?? ''}|${+j.autoFinalize}${+j.autoDismiss}${+j.userPaused}${+j.cancelled}` +
      `|${j.completing ?? ''}|${j.device}|${j.filter ?? ''}|${JSON.stringify(j.plan)}|${j.edges.length}/${j.backends.length}`,
  );


/**
 * What QEMU wrote into image files that later opens read (sizes, qcow2 clusters, internal
 * snapshots) and the bitmaps stored in them: one fragment each file (few, and not cached).
 */
export function imageFragments(g: Graph): string[] {
  const out: string[] = [];
  for (const id in g.writtenImages) out.push(`img:${id}|${JSON.stringify(g.writtenImages[id])}`);
  for (const id in g.storedBitmaps) if (g.storedBitmaps[id]!.length) out.push(`sb:${id}|${JSON.stringify(g.storedBitmaps[id])}`);
  return out;
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
