/**
 * Where an image holds data, as bdrv_block_status() tells it from one offset on: the bytes that
 * share the allocation status of the first. A raw file's data is what lseek(SEEK_DATA / SEEK_HOLE)
 * finds (file-posix.c: find_allocation()), in blocks of the host's file system; a qcow2 image's is
 * its clusters (qcow2_co_block_status(): a run of unallocated clusters, or of data clusters lying
 * one after the other in the file).
 */
import type { HostCluster } from '../graph/node-header.js';
import type { Extent, FileFacts } from './storage.js';

export type { Extent };

/** The block size of the file system the images live on: what a write allocates at least. */
export const FS_BLOCK = 4096;

/**
 * allocate_first_block(): what file-posix leaves in a regular file it grew from nothing with no
 * preallocation (raw_co_create(), handle_aiocb_truncate() with PREALLOC_MODE_OFF): one zeroed
 * block written at its start (512 bytes below 4 KiB), so that alignment probing finds data there.
 */
export const firstBlock = (size: number): Extent[] => (size > 0 ? [[0, Math.min(FS_BLOCK, size)]] : []);

/** The extents with a write of [offset, offset + length) added, in whole file-system blocks, merged and in order. */
export function withWrite(extents: readonly Extent[], offset: number, length: number): Extent[] {
  if (length <= 0) return [...extents];
  const added: Extent = [Math.floor(offset / FS_BLOCK) * FS_BLOCK, Math.ceil((offset + length) / FS_BLOCK) * FS_BLOCK];
  const out: Extent[] = [];
  for (const extent of [...extents, added].sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && extent[0] <= last[1]) out[out.length - 1] = [last[0], Math.max(last[1], extent[1])];
    else out.push(extent);
  }
  return out;
}

/** The extents of a file cut (or grown, holes added) to `size`. */
export const clipped = (extents: readonly Extent[], size: number): Extent[] =>
  extents.filter(([start]) => start < size).map(([start, end]): Extent => [start, Math.min(end, size)]);

/**
 * raw_co_block_status() at `from` in a file of `size` bytes: the bytes to the end of the data
 * extent it lies in, or to the next one (the end of the file after the last one). `extents`
 * absent: not known, all of it read as data.
 */
export function extentRun(extents: readonly Extent[] | undefined, from: number, size: number): number {
  if (from >= size) return 0;
  if (!extents) return size - from;
  for (const [start, end] of extents) {
    if (from < start) return Math.min(start, size) - from;
    if (from < end) return Math.min(end, size) - from;
  }
  return size - from;
}

/**
 * qcow2_co_block_status() from guest offset 0 (qcow2_get_host_offset()): the run of clusters of the
 * first one's kind, unallocated ones, or data clusters that follow each other in the file, within
 * the image's `size`.
 */
export function qcow2Run(layout: readonly HostCluster[], clusterSize: number, size: number): number {
  const hostOf = new Map<number, number>();
  layout.forEach((cluster, at) => {
    if (cluster && 'data' in cluster) hostOf.set(cluster.data, at);
  });
  const clusters = Math.ceil(size / clusterSize);
  const first = hostOf.get(0);
  let n = 1;
  while (n < clusters && (first === undefined ? !hostOf.has(n) : hostOf.get(n) === first + n)) n++;
  return Math.min(n * clusterSize, size);
}

/**
 * What an NBD server's bdrv_block_status_above() answers a client's first NBD_CMD_BLOCK_STATUS
 * with (nbd/server.c: blockstatus_to_extents()): the run of one status at the start of the image
 * it serves in `format`. An image with a backing file mixes its layers: 0, not known.
 */
export function exportFirstRun(format: string, facts: FileFacts, size: number): number {
  if (format === 'raw') return extentRun(facts.data, 0, size);
  if (format !== 'qcow2' || facts.header.format !== 'qcow2') return size;
  if (facts.header.backingFile) return 0;
  const qcow2 = facts.header.qcow2;
  return qcow2?.layout ? qcow2Run(qcow2.layout, qcow2.clusterSize, size) : size;
}
