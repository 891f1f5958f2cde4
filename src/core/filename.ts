/**
 * The filename QMP shows for a node (block.c: bdrv_refresh_filename()): protocol nodes their
 * file, format nodes their file child's, filters a `json:{…}` of their full options (their own
 * strong options and their children's), as do format nodes over a format node; implicit job
 * filters their child's.
 */
import type { BlockNode, Graph } from '../graph/types.js';
import { childByName, getNode } from '../graph/graph.js';
import { DRIVERS } from '../drivers/registry.js';
import { qjson } from '../util/qjson.js';
import { flattenQDict } from '../util/qobject.js';

type Full = { readonly [key: string]: string | number | bigint | boolean | null | Full };

/** bdrv_backing_overridden(): a backing other than the one the image header names, or none where it names one. */
function backingOverridden(graph: Graph, node: BlockNode): boolean {
  if (!DRIVERS[node.driver].supportsBacking) return false;
  const backing = childByName(graph, node, 'backing');
  return backing ? getNode(graph, backing.child)!.filename !== node.autoBackingFile : node.autoBackingFile !== '';
}

function fullOptions(graph: Graph, node: BlockNode): Full {
  const full: Record<string, string | number | bigint | boolean | null | Full> = { driver: node.driver };
  const options = flattenQDict(node.options, ['file', 'backing']);
  for (const strong of DRIVERS[node.driver].strongOptions ?? []) {
    // an entry ending in '.' names every option below it (`server.` for `server.path`, …)
    for (const key of strong.endsWith('.') ? Object.keys(options).filter((k) => k.startsWith(strong)) : [strong]) {
      const value = options[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') full[key] = value;
    }
  }
  const file = childByName(graph, node, 'file');
  if (file) full['file'] = fullOptions(graph, getNode(graph, file.child)!);
  if (backingOverridden(graph, node)) {
    // the backing's own full options, or null to force none
    const backing = childByName(graph, node, 'backing');
    full['backing'] = backing ? fullOptions(graph, getNode(graph, backing.child)!) : null;
  }
  return full;
}

/** qjson() lists the keys in QEMU's QDict order. */
const json = (graph: Graph, node: BlockNode): string => `json:${qjson(fullOptions(graph, node))}`;

/** A protocol node's exact_filename, if it has one. */
const exactFilename = (node: BlockNode): string | undefined => DRIVERS[node.driver].exactFilename?.(node.options);

export function nodeFilename(graph: Graph, node: BlockNode): string {
  const driver = DRIVERS[node.driver];
  const exact = exactFilename(node);
  if (exact !== undefined) return exact;
  const file = childByName(graph, node, 'file') ?? childByName(graph, node, 'backing');
  const child = file ? getNode(graph, file.child) : undefined;
  // a driver's own .bdrv_refresh_filename names the node after its child, whatever its options
  if (driver.refreshesFilename && child) return nodeFilename(graph, child);
  // a filter without a .bdrv_refresh_filename of its own cannot be probed: its full options
  if (driver.isFilter && !driver.refreshesFilename && !node.implicit) return json(graph, node);
  // strong options (raw's offset and size) cannot be told by a file name
  if (!node.implicit && (driver.strongOptions ?? []).some((key) => node.options[key.replace(/\.$/, '')] !== undefined)) return json(graph, node);
  if (!node.implicit && backingOverridden(graph, node)) return json(graph, node);
  // a format node names its file only when that file has an exact filename (a protocol node; a format over a format cannot be probed)
  if (file?.name === 'file' && child && !node.implicit && exactFilename(child) === undefined) return json(graph, node);
  return child ? nodeFilename(graph, child) : '';
}
