/** The read-only queries: what QMP shows of a graph (block/qapi.c, block.c: bdrv_get_xdbg_block_graph()). */
import { allEdges, backendsInOrder, jobsInOrder, nodesInOrder } from '../graph/graph.js';
import type { Edge, Graph } from '../graph/types.js';
import { PERM_BITS, QMP_PERM_NAMES, qmpPermList } from '../perms/perm.js';
import { bool, opt, struct } from '../qapi/schema.js';
import { query, type Command } from './command.js';
import { blockDeviceInfo } from './node-info.js';
import { isBlockJob } from '../jobs/image-jobs.js';
import { chardevsInOrder } from '../graph/chardevs.js';

/** query-named-block-nodes: newest first, each node's whole record (node-info.ts). */
export const queryNamedBlockNodes: Command = query(struct(opt('flat', bool)), (graph, args) => {
  const memo = new Map();
  return nodesInOrder(graph).reverse().map((node) => blockDeviceInfo(graph, node, args['flat'] === true, memo));
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
  for (const job of jobsInOrder(graph).filter(isBlockJob)) {
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
    // vvfat's s->current_fd: the last file a read of its disk reached
    if (node.vvfat?.openFile) return [{ path: node.vvfat.openFile, mode: 'O_RDONLY', locks: [] }];
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

