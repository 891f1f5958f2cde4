/**
 * qcow2_co_truncate() shrinking an image (block/qcow2.c): the clusters past the new end are
 * discarded (qcow2_cluster_discard(), which first gives each L1 entry of the range an L2 table
 * where it has none: get_cluster_table()), the L2 tables past the new L1 size are freed
 * (qcow2_shrink_l1_table()), and the file is cut after the last cluster still in use
 * (qcow2_get_last_cluster()) where that makes it shorter. Growing writes only the header's size
 * field; a shrink also writes the L2 tables it discarded from and the L1 entries it dropped.
 */
import type { HostCluster, NodeHeader } from '../graph/node-header.js';
import type { TruncateStep } from './driver.js';
import { allocate, clustersPerL2, free, METADATA_CLUSTERS, referenced, trimmed } from './qcow2-layout.js';

/** offsetof(QCowHeader, size) + 8: the end of the header's size field, written by every truncate. */
const SIZE_FIELD_END = 32;

/**
 * qcow2_cluster_discard() of the guest clusters from `first` to `end`: L2 tables made, or copied
 * where an internal snapshot shares them (get_cluster_table(), l2_allocate()), data taken out.
 */
function discard(layout: readonly HostCluster[], first: number, end: number, perL2: number, held: ReadonlySet<number>): { layout: HostCluster[]; grownTo: number; tables: number[] } {
  let out = [...layout];
  let grownTo = -1;
  const tables: number[] = [];
  for (let table = Math.floor(first / perL2); first < end && table * perL2 < end; table++) {
    tables.push(table);
    const shared = out.findIndex((c) => c !== null && 'l2' in c && c.l2 === table);
    if (shared >= 0 && !held.has(shared)) continue;
    if (shared >= 0) out[shared] = { snapshot: 'kept' };
    const made = allocate(out, { l2: table });
    out = made.layout;
    grownTo = Math.max(grownTo, made.at);
  }
  return { layout: free(out, (c) => 'data' in c && c.data >= first, held), grownTo, tables };
}

/** The layout before the discard freed anything, with the L2 tables it made. */
const withAllocations = (before: readonly HostCluster[], after: readonly HostCluster[]): HostCluster[] =>
  after.map((c, at) => before[at] ?? c ?? null);

/** The clusters `after` freed of `before`, and in how many runs of neighbours (one discard request each). */
function freedRuns(before: readonly HostCluster[], after: readonly HostCluster[]): { requests: number; clusters: number } {
  let requests = 0;
  let clusters = 0;
  before.forEach((c, at) => {
    if (c === null || after[at] !== null) return;
    clusters++;
    if (at === 0 || before[at - 1] === null || after[at - 1] !== null) requests++;
  });
  return { requests, clusters };
}

/** The end of the furthest metadata write: the size field, the L2 tables kept that the discard changed, the L1 entries dropped. */
function furthestWrite(layout: readonly HostCluster[], tables: readonly number[], l1: { readonly before: number; readonly after: number }, cluster: number): number {
  let end = SIZE_FIELD_END;
  layout.forEach((c, at) => {
    if (c !== null && 'l2' in c && tables.includes(c.l2)) end = Math.max(end, (METADATA_CLUSTERS + at + 1) * cluster);
  });
  // qcow2_shrink_l1_table(): the L1 table is the fourth cluster
  if (l1.after < l1.before) end = Math.max(end, (METADATA_CLUSTERS - 1) * cluster + l1.before * 8);
  return end;
}

/** A qcow2 node of `length` bytes, in a file of `fileLength`, truncated to `size` (a multiple of 512). */
export function truncateQcow2(header: NodeHeader | undefined, size: bigint, length: bigint, fileLength: number): TruncateStep {
  const facts = header?.qcow2;
  if (!header || !facts?.layout || size >= length) return { wroteFile: SIZE_FIELD_END };
  const cluster = facts.clusterSize;
  const perL2 = clustersPerL2(facts);
  const first = Math.ceil(Number(size) / cluster);
  const held = referenced(facts.snapshots ?? []);
  const { layout: discarded, grownTo, tables } = discard(facts.layout, first, Math.ceil(Number(length) / cluster), perL2, held);
  // size_to_l1()
  const l1 = { before: Math.ceil(Math.ceil(Number(length) / cluster) / perL2), after: Math.ceil(first / perL2) };
  const freedTables = free(discarded, (c) => 'l2' in c && c.l2 >= l1.after, held);
  const layout = trimmed(freedTables);
  const shrunk: NodeHeader = { ...header, qcow2: { ...facts, layout } };
  const wroteFile = furthestWrite(layout, tables, l1, cluster);
  // the freed clusters are discarded in the file: the data first, then the L2 tables (qcow2_process_discards())
  const runs = [freedRuns(withAllocations(facts.layout, discarded), discarded), freedRuns(discarded, freedTables)];
  const discards = { requests: runs[0]!.requests + runs[1]!.requests, bytes: (runs[0]!.clusters + runs[1]!.clusters) * cluster };
  // the file grows by the L2 tables written past its end, then is cut after its last cluster in use
  // where that is shorter (qcow2_get_last_cluster())
  const written = Math.max(fileLength, grownTo >= 0 ? (METADATA_CLUSTERS + grownTo + 1) * cluster : 0);
  const fileSize = Math.min(written, (METADATA_CLUSTERS + layout.length) * cluster);
  const writes = { header: shrunk, wroteFile, ...(discards.requests > 0 ? { discards } : {}) };
  return fileSize !== fileLength ? { fileSize: BigInt(fileSize), ...writes } : writes;
}
