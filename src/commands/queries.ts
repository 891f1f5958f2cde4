/** The read-only queries: what QMP shows of a graph (block/qapi.c, block.c: bdrv_get_xdbg_block_graph()). */
import { allEdges, backendsInOrder, childByName, getNode, jobsInOrder, nodesInOrder } from '../graph/graph.js';
import type { BlockNode, Edge, Graph, NodeName } from '../graph/types.js';
import { PERM_BITS, QMP_PERM_NAMES, qmpPermList } from '../perms/perm.js';
import { bool, opt, struct } from '../qapi/schema.js';
import { query, type Command } from './command.js';
import { rulesOf } from '../models/rules.js';
import { chardevsInOrder } from '../graph/chardevs.js';

/**
 * bdrv_get_backing_file_depth(): how many backing files are below `node`. Worked out once per
 * node of a query (`known`), so a query over a long chain costs its length, not its square.
 */
function backingDepth(graph: Graph, node: BlockNode, known: Map<NodeName, number>): number {
  const path: NodeName[] = [];
  let depth = 0;
  for (let at: BlockNode | undefined = node; at; ) {
    const seen = known.get(at.name);
    if (seen !== undefined) {
      depth = seen + 1;
      break;
    }
    path.push(at.name);
    const edge = childByName(graph, at, 'backing');
    at = edge && getNode(graph, edge.child);
  }
  // the last node of the path has `depth` backing files below it: none at the bottom of the chain
  for (let i = path.length - 1; i >= 0; i--, depth++) known.set(path[i]!, depth);
  return known.get(node.name)!;
}

/** QEMU 10.0's members of BlockDeviceInfo and ImageInfo (block/qapi.c, file-posix.c: raw_get_specific_info()). */
const SINCE_10_0 = 1000;

function nodeInfo(graph: Graph, node: BlockNode, depths: Map<NodeName, number>): Record<string, unknown> {
  const backing = childByName(graph, node, 'backing');
  const backingNode = backing ? getNode(graph, backing.child) : undefined;
  const release = rulesOf(graph.model).qapiRelease;
  return {
    'node-name': node.name,
    drv: node.driver,
    ro: node.readOnly,
    file: node.filename,
    ...(backingNode ? { backing_file: backingNode.filename } : {}),
    backing_file_depth: backingDepth(graph, node, depths),
    ...(release >= SINCE_10_0 ? { active: !node.inactive } : {}),
    encrypted: false,
    detect_zeroes: (node.options['detect-zeroes'] as string | undefined) ?? 'off',
    cache: { writeback: true, direct: false, 'no-flush': false },
    image: {
      filename: node.filename,
      format: node.driver,
      'virtual-size': node.size,
      ...(backingNode ? { 'backing-filename': backingNode.filename } : {}),
      'dirty-flag': false,
      ...(release >= SINCE_10_0 && node.driver === 'file' ? { 'format-specific': { type: 'file', data: {} } } : {}),
    },
    bps: 0, bps_rd: 0, bps_wr: 0, iops: 0, iops_rd: 0, iops_wr: 0,
    write_threshold: 0,
  };
}

/** query-named-block-nodes: newest first. */
export const queryNamedBlockNodes: Command = query(struct(opt('flat', bool)), (graph) => {
  const depths = new Map<NodeName, number>();
  return nodesInOrder(graph).reverse().map((node) => nodeInfo(graph, node, depths));
});

type XdbgNode = { id: number; type: 'block-backend' | 'block-job' | 'block-driver'; name: string };

/** x-debug-query-block-graph: ids in order of first meeting, both lists built by prepending. */
export function xdbgBlockGraph(graph: Graph): { nodes: XdbgNode[]; edges: Record<string, unknown>[] } {
  const ids = new Map<string, number>();
  const nodes: XdbgNode[] = [];
  const edges: Record<string, unknown>[] = [];
  const idOf = (key: string): number => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size + 1));
    return id;
  };
  const addNode = (key: string, type: XdbgNode['type'], name: string): void => {
    nodes.unshift({ id: idOf(key), type, name });
  };
  const addEdge = (parentKey: string, edge: Edge): void => {
    edges.unshift({
      parent: idOf(parentKey),
      child: idOf(`node:${edge.child}`),
      name: edge.name,
      perm: qmpPermList(edge.perm),
      'shared-perm': qmpPermList(edge.shared),
    });
  };
  const byId = new Map(allEdges(graph).map((e) => [e.id, e]));
  for (const backend of backendsInOrder(graph)) {
    const key = `backend:${backend.id}`;
    addNode(key, 'block-backend', backend.name || (backend.owner.kind === 'device' ? backend.owner.id : ''));
    if (backend.edge !== null) addEdge(key, byId.get(backend.edge)!);
  }
  for (const job of jobsInOrder(graph)) {
    addNode(`job:${job.id}`, 'block-job', job.id);
    // job->nodes is built by prepending: newest edge first
    for (const id of [...job.edges].reverse()) addEdge(`job:${job.id}`, byId.get(id)!);
  }
  for (const node of nodesInOrder(graph)) {
    addNode(`node:${node.name}`, 'block-driver', node.name);
    for (const id of node.children) addEdge(`node:${node.name}`, byId.get(id)!);
  }
  return { nodes, edges };
}

export const xDebugQueryBlockGraph: Command = query(undefined, xdbgBlockGraph);

/**
 * x-permgraph-query-open-files: each file a file node holds open, its mode and its lock bytes
 * (`perm:X` for each perm its parents hold, `unshared:X` for each they do not all share).
 */
export function openFiles(graph: Graph): { path: string; mode: string; locks: string[] }[] {
  return nodesInOrder(graph).flatMap((node): { path: string; mode: string; locks: string[] }[] => {
    const file = node.file;
    if (!file) return [];
    const locks = !file.locking
      ? []
      : PERM_BITS.flatMap((bit, i) => [
          ...(file.perm & bit ? [`perm:${QMP_PERM_NAMES[i]}`] : []),
          ...(file.shared & bit ? [] : [`unshared:${QMP_PERM_NAMES[i]}`]),
        ]).sort();
    return [{ path: file.path, mode: file.mode, locks }];
  }).concat(chardevsInOrder(graph).flatMap((c) => (c.files ?? []).map((f) => ({ path: f.path, mode: f.mode, locks: [] }))));
}

export const xPermgraphQueryOpenFiles: Command = query(undefined, openFiles);

