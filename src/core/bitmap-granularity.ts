/**
 * bdrv_get_default_bitmap_granularity() (block/dirty-bitmap.c): the cluster size bdrv_get_info()
 * gives (filters passed through) within [4 KiB, 64 KiB]; 64 KiB where it gives none. Among the
 * images here only a qcow2 one has clusters of less than 64 KiB.
 */
import { getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { skipFilters } from './chain.js';

const MIN_GRANULARITY = 4096;
const MAX_GRANULARITY = 65536;

export function defaultBitmapGranularity(graph: Graph, name: NodeName): number {
  const node = getNode(graph, skipFilters(graph, name));
  const cluster = node?.driver === 'qcow2' ? (node.header?.qcow2?.clusterSize ?? 0) : 0;
  return cluster > 0 ? Math.min(MAX_GRANULARITY, Math.max(MIN_GRANULARITY, cluster)) : MAX_GRANULARITY;
}
