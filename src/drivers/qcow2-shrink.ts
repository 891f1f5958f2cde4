/**
 * qcow2_co_truncate() shrinking an image (block/qcow2.c): the clusters past the new end are
 * discarded (qcow2_cluster_discard(), which first gives each L1 entry of the range an L2 table
 * where it has none: get_cluster_table()), the L2 tables past the new L1 size are freed
 * (qcow2_shrink_l1_table()), and the file is cut after the last cluster still in use
 * (qcow2_get_last_cluster()) where that makes it shorter. Growing changes nothing on disk.
 */
import type { HostCluster, NodeHeader, Qcow2Facts } from '../graph/node-header.js';
import type { TruncateStep } from './driver.js';
import { allocate, free, hasL2, METADATA_CLUSTERS, trimmed } from './qcow2-layout.js';

/** Data clusters one L2 table maps (s->l2_size: 8-byte entries, 16-byte ones with extended L2). */
const clustersPerL2 = (facts: Qcow2Facts): number => facts.clusterSize / (facts.extendedL2 ? 16 : 8);

/** qcow2_cluster_discard() of the guest clusters from `first` to `end`: L2 tables made, data freed. */
function discard(layout: readonly HostCluster[], first: number, end: number, perL2: number): { layout: HostCluster[]; grownTo: number } {
  let out = [...layout];
  let grownTo = -1;
  for (let table = Math.floor(first / perL2); first < end && table * perL2 < end; table++) {
    if (hasL2(out, table)) continue;
    const made = allocate(out, { l2: table });
    out = made.layout;
    grownTo = Math.max(grownTo, made.at);
  }
  return { layout: free(out, (c) => 'data' in c && c.data >= first), grownTo };
}

/** A qcow2 node of `length` bytes truncated to `size` (a multiple of 512). */
export function shrinkQcow2(header: NodeHeader | undefined, size: bigint, length: bigint): TruncateStep {
  const facts = header?.qcow2;
  if (!header || !facts?.layout || size >= length) return 'done';
  const cluster = facts.clusterSize;
  const perL2 = clustersPerL2(facts);
  const first = Math.ceil(Number(size) / cluster);
  const { layout: discarded, grownTo } = discard(facts.layout, first, Math.ceil(Number(length) / cluster), perL2);
  // size_to_l1()
  const l1Size = Math.ceil(first / perL2);
  const layout = trimmed(free(discarded, (c) => 'l2' in c && c.l2 >= l1Size));
  const shrunk: NodeHeader = { ...header, qcow2: { ...facts, layout } };
  // the file grows by what was written past its end, and is cut after its last cluster in use
  const changed = grownTo >= 0 || layout.length < facts.layout.length;
  return changed ? { fileSize: BigInt((METADATA_CLUSTERS + layout.length) * cluster), header: shrunk } : { header: shrunk };
}
