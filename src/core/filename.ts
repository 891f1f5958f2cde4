/**
 * The filename QMP shows for a node (block.c: bdrv_refresh_filename()): protocol nodes their
 * file, format nodes their file child's, filters a `json:{…}` of their full options (their own
 * strong options and their children's), as do format nodes over a format node; implicit job
 * filters their child's.
 */
import type { BlockNode, Graph } from '../graph/types.js';
import { childByName, childEdges, getNode } from '../graph/graph.js';
import { fileChildOf } from '../graph/file-child.js';
import { DRIVERS } from '../drivers/registry.js';
import { qjson } from '../util/qjson.js';
import { flattenQDict } from '../util/qobject.js';

type Full = { readonly [key: string]: string | number | bigint | boolean | null | Full | readonly Full[] };

/** bdrv_backing_overridden(): a backing other than the one the image header names, or none where it names one. */
function backingOverridden(graph: Graph, node: BlockNode): boolean {
  if (!DRIVERS[node.driver].supportsBacking) return false;
  const backing = childByName(graph, node, 'backing');
  return backing ? getNode(graph, backing.child)!.filename !== node.autoBackingFile : node.autoBackingFile !== '';
}

function fullOptions(graph: Graph, node: BlockNode): Full {
  // an implicit node takes everything from its single child
  const only = node.implicit ? (fileChildOf(graph, node) ?? childByName(graph, node, 'backing')) : undefined;
  if (only) return fullOptions(graph, getNode(graph, only.child)!);
  const full: Record<string, string | number | bigint | boolean | null | Full | readonly Full[]> = { driver: node.driver };
  const options = flattenLists(flattenQDict(node.options, ['file', 'backing', ...childKeys(graph, node)]));
  for (const strong of DRIVERS[node.driver].strongOptions ?? []) {
    // an entry ending in '.' names every option below it (`server.` for `server.path`, …)
    for (const key of strong.endsWith('.') ? Object.keys(options).filter((k) => k.startsWith(strong)) : [strong]) {
      const value = options[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') full[key] = value;
    }
  }
  gatherChildren(graph, node, full);
  if (backingOverridden(graph, node)) {
    // the backing's own full options, or null to force none
    const backing = childByName(graph, node, 'backing');
    full['backing'] = backing ? fullOptions(graph, getNode(graph, backing.child)!) : null;
  }
  return full;
}

/** qdict_flatten() of lists: `inject-error.0.event` for blkdebug's rules (members of dicts in a list too). */
function flattenLists(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown, inList: boolean): void => {
    if (Array.isArray(value)) value.forEach((item, i) => put(`${key}.${i}`, item, true));
    else if (inList && value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [member, item] of Object.entries(value)) put(`${key}.${member}`, item, true);
    } else out[key] = value;
  };
  for (const [key, value] of Object.entries(options)) put(key, value, false);
  return out;
}

/** The option keys the node's children other than `backing` are linked by: `file`, `log`, `children` (quorum's `children.N`). */
const childKeys = (graph: Graph, node: BlockNode): string[] =>
  childEdges(graph, node)
    .filter((e) => e.parent.kind === 'node' && e.name !== 'backing')
    .map((e) => e.name.replace(/\.\d+$/, ''));

/**
 * bdrv_refresh_filename()'s children in the full options: each child but the backing under its
 * name; quorum_gather_child_options() lists `children.N` as one `children` list.
 */
function gatherChildren(graph: Graph, node: BlockNode, full: Record<string, unknown>): void {
  const children = childEdges(graph, node).filter((e) => e.name !== 'backing');
  const listed = children.filter((e) => /^children\.\d+$/.test(e.name)).sort((a, b) => Number(a.name.slice(9)) - Number(b.name.slice(9)));
  if (listed.length > 0) full['children'] = listed.map((e) => fullOptions(graph, getNode(graph, e.child)!));
  for (const edge of [...children].reverse()) {
    if (!/^children\.\d+$/.test(edge.name)) full[edge.name] = fullOptions(graph, getNode(graph, edge.child)!);
  }
}

/** qjson() lists the keys in QEMU's QDict order. */
const json = (graph: Graph, node: BlockNode): string => `json:${qjson(fullOptions(graph, node))}`;

/** A protocol node's exact_filename, if it has one. */
const exactFilename = (node: BlockNode): string | undefined => DRIVERS[node.driver].exactFilename?.(node.options);

/** A node's exact_filename: a protocol node's, or the one a .bdrv_refresh_filename of its driver makes. */
const exactOfNode = (graph: Graph, node: BlockNode): string | undefined =>
  exactFilename(node) ?? DRIVERS[node.driver].filenameOf?.(node.options, (name) => childExact(graph, node, name));

/** A node's exact_filename as its parents see it: its filename, unless that is json:{…}. */
const childExact = (graph: Graph, node: BlockNode, edgeName: string): string | undefined => {
  const edge = childByName(graph, node, edgeName);
  const filename = edge && getNode(graph, edge.child)!.filename;
  return filename && !filename.startsWith('json:') ? filename : undefined;
};

export function nodeFilename(graph: Graph, node: BlockNode): string {
  const driver = DRIVERS[node.driver];
  const exact = exactFilename(node);
  if (exact !== undefined) return exact;
  // a .bdrv_refresh_filename that names the node by its children (blkdebug:…, blkverify:…), or json:{…}
  if (driver.filenameOf) return driver.filenameOf(node.options, (name) => childExact(graph, node, name)) ?? json(graph, node);
  const file = fileChildOf(graph, node) ?? childByName(graph, node, 'backing');
  const child = file ? getNode(graph, file.child) : undefined;
  // a driver's own .bdrv_refresh_filename names the node after its child, whatever its options
  if (driver.refreshesFilename && child) return nodeFilename(graph, child);
  // a filter without a .bdrv_refresh_filename of its own cannot be probed: its full options
  if (driver.isFilter && !driver.refreshesFilename && !node.implicit) return json(graph, node);
  // strong options (raw's offset and size) cannot be told by a file name
  if (!node.implicit && (driver.strongOptions ?? []).some((key) => node.options[key.replace(/\.$/, '')] !== undefined)) return json(graph, node);
  if (!node.implicit && backingOverridden(graph, node)) return json(graph, node);
  // a format node names its file only when that file has an exact filename (a protocol node; a format over a format cannot be probed)
  if (file && file.name !== 'backing' && child && !node.implicit && exactOfNode(graph, child) === undefined) return json(graph, node);
  return child ? nodeFilename(graph, child) : '';
}
