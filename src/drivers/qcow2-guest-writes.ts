/**
 * Guest writes into a qcow2 image (block/qcow2-cluster.c): a write of data allocates the L2 table
 * of each table it reaches that has none (qcow2_alloc_cluster_offset() → l2_allocate(), first-fit)
 * and then its clusters not yet allocated, in one run (qcow2_alloc_clusters()); a write of zeroes
 * (qcow2_subcluster_zeroize()) allocates the L2 tables only, to put zero flags in. Each table it
 * reaches is written again.
 */
import type { HostCluster, Qcow2Facts } from '../graph/node-header.js';
import { allocate, allocateRun, clustersPerL2, METADATA_CLUSTERS } from './qcow2-layout.js';

const indexOf = (layout: readonly HostCluster[], match: (c: Exclude<HostCluster, null>) => boolean): number => layout.findIndex((c) => c !== null && match(c));

/** The image after a guest write of [from, to), data or zeroes, and where in the file it wrote last. */
export function writeGuestRange(facts: Qcow2Facts, from: number, to: number, data: boolean): { facts: Qcow2Facts; wroteFile: number } {
  const size = facts.clusterSize;
  const perL2 = clustersPerL2(facts);
  const first = Math.floor(from / size);
  const last = Math.ceil(to / size);
  let layout: HostCluster[] = [...(facts.layout ?? [])];
  let wrote = 0;
  const reach = (at: number): void => {
    wrote = Math.max(wrote, (METADATA_CLUSTERS + at + 1) * size);
  };
  for (let table = Math.floor(first / perL2); table * perL2 < last; table++) {
    let at = indexOf(layout, (c) => 'l2' in c && c.l2 === table);
    if (at < 0) ({ layout, at } = allocate(layout, { l2: table }));
    reach(at);
    if (!data) continue;
    const missing: number[] = [];
    for (let guest = Math.max(first, table * perL2); guest < Math.min(last, (table + 1) * perL2); guest++) {
      if (indexOf(layout, (c) => 'data' in c && c.data === guest) < 0) missing.push(guest);
    }
    if (missing.length === 0) continue;
    const run = allocateRun(layout, missing.length, { data: missing[0]! });
    layout = run.layout;
    missing.forEach((guest, i) => (layout[run.at + i] = { data: guest }));
    reach(run.at + missing.length - 1);
  }
  return { facts: { ...facts, layout }, wroteFile: wrote };
}
