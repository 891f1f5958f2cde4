/**
 * query-block and query-blockstats (block/qapi.c: qmp_query_block(), qmp_query_blockstats(),
 * bdrv_query_bds_stats()). The daemon's BlockBackends (exports', jobs') have no name and no
 * device: both list none of them; `query-nodes` lists every node's own statistics.
 */
import { childEdges, getNode, nodesInOrder } from '../graph/graph.js';
import type { BlockNode, Edge, Graph } from '../graph/types.js';
import { Role } from '../drivers/roles.js';
import { rulesOf } from '../models/rules.js';
import { bool, opt, struct } from '../qapi/schema.js';
import { query, type Command } from './command.js';

/** BlockDeviceStats' counters (all 0: permgraph moves no data through a node), QEMU 7.2's. */
const COUNTERS_7_2 = [
  'rd_bytes', 'wr_bytes', 'unmap_bytes', 'rd_operations', 'wr_operations', 'flush_operations', 'unmap_operations',
  'rd_total_time_ns', 'wr_total_time_ns', 'flush_total_time_ns', 'unmap_total_time_ns', 'wr_highest_offset',
  'rd_merged', 'wr_merged', 'unmap_merged', 'failed_rd_operations', 'failed_wr_operations', 'failed_flush_operations',
  'failed_unmap_operations', 'invalid_rd_operations', 'invalid_wr_operations', 'invalid_flush_operations',
  'invalid_unmap_operations',
] as const;

/** Zoned storage's counters (QEMU 8.1). */
const ZONE_APPEND = [
  'zone_append_bytes', 'zone_append_operations', 'zone_append_total_time_ns', 'zone_append_merged',
  'failed_zone_append_operations', 'invalid_zone_append_operations',
] as const;

function deviceStats(graph: Graph): Record<string, unknown> {
  const counters = rulesOf(graph.model).qapiRelease >= 801 ? [...COUNTERS_7_2, ...ZONE_APPEND] : COUNTERS_7_2;
  return { ...Object.fromEntries(counters.map((k) => [k, 0])), account_invalid: false, account_failed: false, timed_stats: [] };
}

/**
 * The child whose statistics are the node's `parent`: its primary child when that holds data or
 * is filtered, else its one data child (none when it has several).
 */
function parentChild(graph: Graph, node: BlockNode): Edge | undefined {
  const edges = childEdges(graph, node);
  const primary = edges.find((e) => e.role & Role.PRIMARY);
  if (primary && primary.role & (Role.DATA | Role.FILTERED)) return primary;
  const data = edges.filter((e) => e.role & Role.DATA);
  return data.length === 1 ? data[0] : undefined;
}

/** bdrv_query_bds_stats() at node level: no backing; file-posix's discard counters as driver-specific. */
function nodeStats(graph: Graph, node: BlockNode): Record<string, unknown> {
  const parent = parentChild(graph, node);
  const parentNode = parent && getNode(graph, parent.child);
  return {
    'node-name': node.name,
    stats: { ...deviceStats(graph), wr_highest_offset: node.wrHighestOffset ?? 0 },
    ...(parentNode ? { parent: nodeStats(graph, parentNode) } : {}),
    ...(node.driver === 'file'
      ? { 'driver-specific': { driver: 'file', 'discard-nb-ok': node.discarded?.requests ?? 0, 'discard-nb-failed': 0, 'discard-bytes-ok': node.discarded?.bytes ?? 0 } }
      : {}),
  };
}

export const queryBlockstats: Command = query(struct(opt('query-nodes', bool)), (graph, args) =>
  args['query-nodes'] === true ? nodesInOrder(graph).map((node) => nodeStats(graph, node)) : [],
);

export const queryBlock: Command = query(undefined, () => []);
