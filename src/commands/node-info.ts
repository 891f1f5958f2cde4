/**
 * The record query-named-block-nodes gives of a node (block/qapi.c: bdrv_block_device_info(),
 * bdrv_query_image_info(), bdrv_do_query_node_info()), in the order of QAPI's BlockDeviceInfo
 * and ImageInfo; `dirty-bitmaps` from bitmap-info.ts.
 */
import { childByName, childEdges, getEdge, getNode } from '../graph/graph.js';
import type { BlockNode, Graph } from '../graph/types.js';
import { FILTER_DRIVERS } from '../drivers/registry.js';
import { Role } from '../drivers/roles.js';
import { rulesOf } from '../models/rules.js';
import { isAbsolutePath } from '../util/posix-path.js';
import { dirtyBitmapsInfo, storedBitmapsInfo } from './bitmap-info.js';
import { snapshotInfo, snapshotsSeenFrom } from './internal-snapshots.js';

/** QEMU 10.0's members of BlockDeviceInfo and ImageInfo (block/qapi.c, file-posix.c: raw_get_specific_info()). */
const SINCE_10_0 = 1000;
const SECTOR = 512;

const isFilter = (node: BlockNode): boolean => FILTER_DRIVERS.has(node.driver);

const childNamed = (graph: Graph, node: BlockNode, name: string): BlockNode | undefined => {
  const edge = childByName(graph, node, name);
  return edge && getNode(graph, edge.child);
};

/** bdrv_filter_or_cow_bs(): a filter's filtered child, else the backing (COW) child. */
export function filterOrCowChild(graph: Graph, node: BlockNode): BlockNode | undefined {
  const filter = isFilter(node);
  const edge = childEdges(graph, node).find((e) => (filter ? (e.role & Role.FILTERED) !== 0 : e.name === 'backing'));
  return edge && getNode(graph, edge.child);
}

/** bdrv_get_info(): the driver's own, else its filtered child's; null when none answers (-ENOTSUP). */
function driverInfo(graph: Graph, node: BlockNode): { clusterSize: number; dirty: boolean } | null {
  for (let at: BlockNode | undefined = node; at; ) {
    if (at.driver === 'file') return { clusterSize: 0, dirty: false };
    if (at.driver === 'qcow2') return { clusterSize: at.header?.qcow2?.clusterSize ?? 65536, dirty: at.header?.qcow2?.dirty ?? false };
    // raw_get_info(): bdrv_get_info() of its file; filters without .bdrv_get_info pass to their child
    if (at.driver === 'raw') at = childNamed(graph, at, 'file');
    else if (isFilter(at)) at = filterOrCowChild(graph, at);
    else return null;
  }
  return null;
}

/** Filters that are protocol drivers too (protocol_name "blkdebug", "blkverify"). */
const PROTOCOL_FILTERS: ReadonlySet<string> = new Set(['blkdebug', 'blkverify']);

/**
 * bdrv_get_allocated_file_size(): a file's blocks on disk, 0 for null-co, -ENOTSUP (null) for
 * other protocols (nbd), a filter's filtered child's, else the sum over the data and metadata
 * children. The storage does not tell blocks: a file counts its size in 4 KiB blocks, a raw image
 * (sparse, its first block written by qemu-img) one block; comparisons leave this value out.
 */
function allocatedSize(graph: Graph, node: BlockNode): number | null {
  if (node.driver === 'file') return node.size > 0 ? fileBlocks(graph, node) : 0;
  if (node.driver === 'null-co' || node.driver === 'null-aio') return 0;
  // a driver with a protocol_name and no .bdrv_get_allocated_file_size of its own: -ENOTSUP
  if (childEdges(graph, node).length === 0 || PROTOCOL_FILTERS.has(node.driver)) return null;
  if (isFilter(node)) {
    const child = filterOrCowChild(graph, node);
    return child ? allocatedSize(graph, child) : null;
  }
  let sum = 0;
  for (const edge of childEdges(graph, node)) {
    if (!(edge.role & (Role.DATA | Role.METADATA | Role.FILTERED))) continue;
    const size = allocatedSize(graph, getNode(graph, edge.child)!);
    if (size === null) return null;
    sum += size;
  }
  return sum;
}

/** A file's blocks: a qcow2 file (a format node above it names one) all of its size, a raw one its first block. */
function fileBlocks(graph: Graph, node: BlockNode): number {
  const holdsQcow2 = node.parents.some((id) => {
    const edge = getEdge(graph, id);
    return edge?.name === 'file' && edge.parent.kind === 'node' && getNode(graph, edge.parent.node)?.driver === 'qcow2';
  });
  return holdsQcow2 ? Math.ceil(node.size / 4096) * 4096 : 4096;
}

/** qcow2_get_specific_info(): version 2 images show less. */
function formatSpecific(graph: Graph, node: BlockNode): Record<string, unknown> | undefined {
  const q = node.header?.qcow2;
  if (node.driver === 'qcow2' && q) {
    const data =
      q.compat === '0.10'
        ? { compat: q.compat, 'refcount-bits': q.refcountBits, 'compression-type': q.compressionType }
        : {
            compat: q.compat,
            'lazy-refcounts': q.lazyRefcounts,
            corrupt: q.corrupt,
            'extended-l2': q.extendedL2,
            'refcount-bits': q.refcountBits,
            ...storedBitmapsInfo(graph, node),
            'compression-type': q.compressionType,
          };
    return { type: 'qcow2', data };
  }
  if (node.driver === 'file' && rulesOf(graph.model).qapiRelease >= SINCE_10_0) return { type: 'file', data: {} };
  return undefined;
}

/** bdrv_get_full_backing_filename(): relative to the directory of the file at the bottom (none under json:{…} or NBD). */
function fullBackingFilename(graph: Graph, node: BlockNode, backing: string): string | undefined {
  if (isAbsolutePath(backing)) return backing;
  let bottom = node;
  for (let next = childNamed(graph, bottom, 'file'); next; next = childNamed(graph, bottom, 'file')) bottom = next;
  if (bottom.driver !== 'file' || bottom.filename.startsWith('json:')) return undefined;
  return bottom.filename.slice(0, bottom.filename.lastIndexOf('/') + 1) + backing;
}

/** One node's ImageInfo without `backing-image` (bdrv_do_query_node_info()). */
function nodeImageInfo(graph: Graph, node: BlockNode): Record<string, unknown> {
  const info = driverInfo(graph, node);
  const actual = allocatedSize(graph, node);
  const specific = formatSpecific(graph, node);
  const backingFile = node.header?.backingFile ?? '';
  const full = backingFile ? fullBackingFilename(graph, node, backingFile) : undefined;
  const snapshots = snapshotsSeenFrom(graph, node.name);
  return {
    filename: node.filename,
    format: node.driver,
    ...(info ? { 'dirty-flag': info.dirty } : {}),
    ...(actual !== null ? { 'actual-size': actual } : {}),
    'virtual-size': Math.ceil(node.size / SECTOR) * SECTOR,
    ...(info && info.clusterSize ? { 'cluster-size': info.clusterSize } : {}),
    ...(backingFile ? { 'backing-filename': backingFile } : {}),
    ...(full !== undefined ? { 'full-backing-filename': full } : {}),
    ...(backingFile && node.header?.backingFormat ? { 'backing-filename-format': node.header.backingFormat } : {}),
    // bdrv_query_snapshot_info_list()
    ...(snapshots.length ? { snapshots: snapshots.map(snapshotInfo) } : {}),
    ...(specific ? { 'format-specific': specific } : {}),
  };
}

/** What one query worked out of each node's chain: its ImageInfo with `backing-image`, and how many images are below it. */
export type ChainMemo = Map<string, { image: Record<string, unknown>; depth: number }>;

/**
 * bdrv_query_image_info(): ImageInfo, with `backing-image` down the chain (filters included)
 * unless flat. A loop from the first node the query already knows, bottom up: a chain of any
 * length costs its length once per query, and the records below are shared.
 */
export function imageInfo(graph: Graph, node: BlockNode, flat: boolean, memo: ChainMemo = new Map()): { image: Record<string, unknown>; depth: number } {
  if (flat) return { image: nodeImageInfo(graph, node), depth: 0 };
  const path: BlockNode[] = [];
  let below: { image: Record<string, unknown>; depth: number } | undefined;
  for (let at: BlockNode | undefined = node; at; at = filterOrCowChild(graph, at)) {
    below = memo.get(at.name);
    if (below) break;
    path.push(at);
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const image = { ...nodeImageInfo(graph, path[i]!), ...(below ? { 'backing-image': below.image } : {}) };
    below = { image, depth: below ? below.depth + 1 : 0 };
    memo.set(path[i]!.name, below);
  }
  return below!;
}

/** A cache option of the node's own, else of the node it was opened inline from (bdrv_inherited_options()). */
function cacheFlag(graph: Graph, node: BlockNode, key: 'direct' | 'no-flush'): boolean {
  for (let at: BlockNode | undefined = node; at; at = at.inheritsFrom === null ? undefined : getNode(graph, at.inheritsFrom)) {
    const cache = at.options['cache'] as Record<string, unknown> | undefined;
    const own = cache?.[key] ?? at.options[`cache.${key}`];
    if (typeof own === 'boolean') return own;
  }
  return false;
}

/** bdrv_block_device_info(): a node's BlockDeviceInfo (no BlockBackend: write cache on, no throttling). */
export function blockDeviceInfo(graph: Graph, node: BlockNode, flat: boolean, memo?: ChainMemo): Record<string, unknown> {
  // bdrv_cow_bs(): a filter's backing is no COW child
  const backing = isFilter(node) ? undefined : childNamed(graph, node, 'backing');
  // backing_file_depth counts the backing images listed: none when flat
  const { image, depth } = imageInfo(graph, node, flat, memo);
  return {
    file: node.filename,
    'node-name': node.name,
    ro: node.readOnly,
    drv: node.driver,
    ...(backing ? { backing_file: backing.filename } : {}),
    backing_file_depth: depth,
    ...(rulesOf(graph.model).qapiRelease >= SINCE_10_0 ? { active: !node.inactive } : {}),
    encrypted: false,
    detect_zeroes: (node.options['detect-zeroes'] as string | undefined) ?? 'off',
    bps: 0, bps_rd: 0, bps_wr: 0, iops: 0, iops_rd: 0, iops_wr: 0,
    image,
    cache: { writeback: true, direct: cacheFlag(graph, node, 'direct'), 'no-flush': cacheFlag(graph, node, 'no-flush') },
    write_threshold: node.writeThreshold ?? 0,
    ...dirtyBitmapsInfo(graph, node),
  };
}
