/**
 * Where writes to a node end (block/io.c: bdrv_co_write_req_finish() keeps bs->wr_highest_offset,
 * which query-blockstats shows): a format's metadata written to its file child reaches that node
 * and, through raw and filters, the nodes below it at the same place.
 */
import { DRIVERS } from '../drivers/registry.js';
import { fileChildOf } from '../graph/file-child.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/**
 * Discard requests sent to `name`: the file node at the bottom counts them (file-posix's discard
 * counters), where it unmaps (bdrv_co_pdiscard() drops them without BDRV_O_UNMAP: `discard` is
 * `ignore` unless given, or inherited as `unmap` by a node opened inline).
 */
export function recordDiscards(tx: Tx, name: NodeName, requests: number, bytes: number): void {
  for (let at: NodeName | undefined = name; at !== undefined; ) {
    const node = tx.mustNode(at);
    if (node.driver === 'file') {
      if ((node.options['discard'] ?? (node.inheritsFrom !== null ? 'unmap' : 'ignore')) !== 'unmap') return;
      node.discarded = { requests: (node.discarded?.requests ?? 0) + requests, bytes: (node.discarded?.bytes ?? 0) + bytes };
      return;
    }
    at = passesOn(node) ? fileChildOf(tx.g as Graph, node)?.child : undefined;
  }
}

/** raw without an offset and the filters pass a request on to their file at the same place. */
const passesOn = (node: BlockNode): boolean => (node.driver === 'raw' ? node.options['offset'] === undefined : DRIVERS[node.driver].isFilter);

export function recordWrite(tx: Tx, name: NodeName, end: number): void {
  for (let at: NodeName | undefined = name; at !== undefined; ) {
    const node = tx.mustNode(at);
    node.wrHighestOffset = Math.max(node.wrHighestOffset ?? 0, end);
    at = passesOn(node) ? fileChildOf(tx.g as Graph, node)?.child : undefined;
  }
}
