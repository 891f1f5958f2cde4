/**
 * Persistent bitmaps in a qcow2 image's clusters (block/qcow2-bitmap.c). Storing
 * (qcow2_store_persistent_dirty_bitmaps()) writes each stored bitmap's table anew, in directory
 * order, then the directory (update_ext_header_and_dir(): bitmap_list_store() into new clusters),
 * then frees the old directory and the old tables; removing a bitmap
 * (qcow2_co_remove_persistent_dirty_bitmap()) writes the directory without it, then frees the old
 * directory and its table. An empty directory takes no cluster. Nothing is discarded
 * (QCOW2_DISCARD_OTHER, off by default). No bit is ever set here, so no bitmap data cluster is
 * written.
 */
import type { HostCluster, Qcow2Facts } from '../graph/node-header.js';
import type { StoredBitmap } from '../graph/bitmap-types.js';
import { allocateRun, METADATA_CLUSTERS } from './qcow2-layout.js';

/** sizeof(Qcow2BitmapDirEntry) */
const DIR_ENTRY = 24;
/** BME_TABLE_ENTRY_SIZE */
const TABLE_ENTRY = 8;

/** calc_dir_entry_size(), summed: each entry and its name, rounded up to 8 bytes. */
export const directoryBytes = (list: readonly StoredBitmap[]): number =>
  list.reduce((sum, bm) => sum + Math.ceil((DIR_ENTRY + new TextEncoder().encode(bm.name).length) / 8) * 8, 0);

/** A bitmap table's bytes: an entry for each cluster of the bitmap's data (bitmap_table_size). */
const tableBytes = (size: number, granularity: number, cluster: number): number =>
  Math.ceil(Math.ceil(Math.ceil(size / granularity) / 8) / cluster) * TABLE_ENTRY;

export interface BitmapDirectoryWrites {
  readonly facts: Qcow2Facts;
  /** The directory as it now lies in the image, each bitmap with its table's clusters. */
  readonly list: readonly StoredBitmap[];
  readonly wroteFile: number;
}

const indexesOf = (layout: readonly HostCluster[], kind: 'table' | 'directory'): number[] =>
  layout.flatMap((c, at) => (c !== null && 'bitmap' in c && c.bitmap === kind ? [at] : []));

/**
 * The directory becomes `list` (in directory order), the bitmaps named in `storing` with new
 * tables for an image of `size` bytes; what the old directory and the replaced or dropped tables
 * held is freed.
 */
export function writeBitmapDirectory(facts: Qcow2Facts, list: readonly StoredBitmap[], storing: ReadonlySet<string>, size: number): BitmapDirectoryWrites {
  if (!facts.layout) return { facts, list, wroteFile: 0 };
  const cluster = facts.clusterSize;
  let layout = [...facts.layout];
  let wroteFile = 0;
  const allocate = (bytes: number, kind: 'table' | 'directory'): number[] => {
    const n = Math.max(1, Math.ceil(bytes / cluster));
    const made = allocateRun(layout, n, { bitmap: kind });
    layout = made.layout;
    wroteFile = Math.max(wroteFile, (METADATA_CLUSTERS + made.at) * cluster + bytes);
    return Array.from({ length: n }, (_, i) => made.at + i);
  };
  const oldDirectory = indexesOf(layout, 'directory');
  const stored = list.map((bm) => (storing.has(bm.name) ? { ...bm, table: allocate(tableBytes(size, bm.granularity, cluster), 'table') } : bm));
  if (stored.length > 0) allocate(directoryBytes(stored), 'directory');
  const kept = new Set(stored.flatMap((bm) => bm.table ?? []));
  const freed = new Set([...oldDirectory, ...indexesOf(layout, 'table').filter((at) => !kept.has(at))]);
  layout = layout.map((c, at) => (freed.has(at) ? null : c));
  return { facts: { ...facts, layout }, list: stored, wroteFile };
}

/** Where the directory written in place ends (update_ext_header_and_dir_in_place(): the in-use flags); 0 where it is not known. */
export function directoryEnd(facts: Qcow2Facts, list: readonly StoredBitmap[]): number {
  const at = facts.layout ? indexesOf(facts.layout, 'directory')[0] : undefined;
  return at === undefined ? 0 : (METADATA_CLUSTERS + at) * facts.clusterSize + directoryBytes(list);
}
