/**
 * Where a qcow2 image's clusters lie in its file, past the four it starts with (header, refcount
 * table, refcount block, L1 table): each an L2 table, a data cluster, or free (a hole a freed
 * cluster left). Clusters are allocated first-fit (qcow2_alloc_clusters(): the lowest free one,
 * else at the end) and the file ends after the last one written.
 */

import type { HostCluster } from '../graph/node-header.js';

/** Header, refcount table, refcount block and L1 table. */
export const METADATA_CLUSTERS = 4;

/** Data clusters one L2 table maps (s->l2_size: 8-byte entries, 16-byte ones with extended L2). */
export const clustersPerL2 = (facts: { readonly clusterSize: number; readonly extendedL2: boolean }): number => facts.clusterSize / (facts.extendedL2 ? 16 : 8);

/**
 * The layout `qemu-io` writes leave: the guest clusters written, in the order allocated, each L2
 * table just before its first data cluster (qcow2_alloc_cluster_offset()).
 */
export function layoutOfWrites(dataClusters: readonly number[], perL2: number): HostCluster[] {
  const layout: HostCluster[] = [];
  const tables = new Set<number>();
  for (const guest of dataClusters) {
    const table = Math.floor(guest / perL2);
    if (!tables.has(table)) layout.push({ l2: table });
    tables.add(table);
    layout.push({ data: guest });
  }
  return layout;
}

/** The layout with `cluster` in its lowest free place, and that place. */
export function allocate(layout: readonly HostCluster[], cluster: Exclude<HostCluster, null>): { layout: HostCluster[]; at: number } {
  const out = [...layout];
  const free = out.indexOf(null);
  const at = free < 0 ? out.length : free;
  out[at] = cluster;
  return { layout: out, at };
}

/**
 * The layout with a run of `n` clusters of that kind in the lowest place where `n` free ones lie
 * together (or at the end), and where the run starts.
 */
export function allocateRun(layout: readonly HostCluster[], n: number, cluster: Exclude<HostCluster, null>): { layout: HostCluster[]; at: number } {
  const out = [...layout];
  let at = 0;
  for (let run = 0; at + run < out.length && run < n; ) {
    if (out[at + run] === null) run++;
    else {
      at += run + 1;
      run = 0;
    }
  }
  for (let i = 0; i < n; i++) out[at + i] = cluster;
  return { layout: out, at };
}

/** The clusters internal snapshots hold a reference on: their L1 copies, L2 tables and data (layout indexes). */
export const referenced = (snapshots: readonly { readonly l1: readonly number[]; readonly refs: readonly number[] }[]): Set<number> =>
  new Set(snapshots.flatMap((s) => [...s.l1, ...s.refs]));

/**
 * The layout with every cluster `drop` names taken out of the active image: freed, or kept where
 * an internal snapshot still refers to it (its refcount only goes down).
 */
export const free = (layout: readonly HostCluster[], drop: (cluster: Exclude<HostCluster, null>) => boolean, held: ReadonlySet<number> = new Set()): HostCluster[] =>
  layout.map((cluster, at) => (cluster && drop(cluster) ? (held.has(at) ? { snapshot: 'kept' } : null) : cluster));

/**
 * Those of `candidates` that are neither the active image's nor `held` freed: the layout, and the
 * indexes freed, in order.
 */
export function release(layout: readonly HostCluster[], candidates: readonly number[], held: ReadonlySet<number>): { layout: HostCluster[]; freed: number[] } {
  const freed = [...new Set(candidates)]
    .sort((a, b) => a - b)
    .filter((at) => {
      const c = layout[at];
      return c !== null && c !== undefined && 'snapshot' in c && !held.has(at);
    });
  return { layout: layout.map((c, at) => (freed.includes(at) ? null : c)), freed };
}

/** The layout without the free clusters at its end (the file cut after its last one in use). */
export function trimmed(layout: readonly HostCluster[]): HostCluster[] {
  let end = layout.length;
  while (end > 0 && layout[end - 1] === null) end--;
  return layout.slice(0, end);
}

export const hasL2 = (layout: readonly HostCluster[], table: number): boolean => layout.some((c) => c !== null && 'l2' in c && c.l2 === table);
