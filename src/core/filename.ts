/**
 * The filename QMP shows for a node (block.c: bdrv_refresh_filename()): protocol nodes their
 * file, format nodes their file child's, filters a `json:{…}` of their full options (their own
 * strong options and their children's), as do format nodes over a format node; implicit job
 * filters their child's.
 */
import type { BlockNode, Graph } from '../graph/types.js';
import { childByName, getNode } from '../graph/graph.js';
import { qjson } from '../util/qjson.js';

type Full = { readonly [key: string]: string | number | Full };


const STRONG_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  file: ['filename'],
  raw: ['offset', 'size'],
  throttle: ['throttle-group'],
};

function fullOptions(graph: Graph, node: BlockNode): Full {
  const full: Record<string, string | number | Full> = { driver: node.driver };
  for (const key of STRONG_OPTIONS[node.driver] ?? []) {
    const value = node.options[key];
    if (typeof value === 'string' || typeof value === 'number') full[key] = value;
  }
  const file = childByName(graph, node, 'file');
  if (file) full['file'] = fullOptions(graph, getNode(graph, file.child)!);
  return full;
}

/** qjson() lists the keys in QEMU's QDict order. */
const json = (graph: Graph, node: BlockNode): string => `json:${qjson(fullOptions(graph, node))}`;

const FILTERS = new Set(['throttle', 'copy-on-read']);
const PROTOCOLS = new Set(['file', 'null-co', 'nbd']);

export function nodeFilename(graph: Graph, node: BlockNode): string {
  if (node.driver === 'file') return node.options['filename'] as string;
  if (node.driver === 'null-co') return 'null-co://';
  const file = childByName(graph, node, 'file') ?? childByName(graph, node, 'backing');
  const child = file ? getNode(graph, file.child) : undefined;
  if (FILTERS.has(node.driver) && !node.implicit) return json(graph, node);
  // strong options (raw's offset and size) cannot be told by a file name
  if (!node.implicit && (STRONG_OPTIONS[node.driver] ?? []).some((key) => node.options[key] !== undefined)) return json(graph, node);
  // a format node names its file only when that file is a protocol node (a format over a format cannot be probed)
  if (file?.name === 'file' && child && !node.implicit && !PROTOCOLS.has(child.driver)) return json(graph, node);
  return child ? nodeFilename(graph, child) : '';
}
