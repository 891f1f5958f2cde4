/**
 * A virtual file: what `qemu-img create`, `qemu-io` and `chmod` would have left on disk,
 * described as data, and the facts a real file with that content would show.
 */
import { QCOW2_DEFAULTS, type Qcow2Facts } from '../graph/node-header.js';
import { clustersPerL2, layoutOfWrites, METADATA_CLUSTERS } from '../drivers/qcow2-layout.js';
import { cloopVirtualSize } from './cloop-header.js';
import { FORMAT_FACTS, type DiskFormat } from './image-formats.js';
import { ERRNO_TEXT, type Extent, type FileFacts } from './storage.js';

export interface VirtualFile {
  readonly format?: DiskFormat;
  /** The guest-visible size in bytes (default 64 MiB). */
  readonly size?: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
  /** A LUKS image's password. */
  readonly password?: string;
  /** false, or the strerror text open(O_RDWR) fails with ('Permission denied' for false). */
  readonly writable?: boolean | string;
  /** false, or the strerror text open(O_RDONLY) fails with. */
  readonly readable?: boolean | string;
  /** A directory or device rather than a regular file. */
  readonly regular?: boolean;
  /** `chattr +i`: open(O_RDWR) fails with 'Operation not permitted', whatever the mode. */
  readonly immutable?: boolean;
  /** A qcow2 image's size on disk once data was written to it (`qemu-io` in a setup). */
  readonly fileSize?: number;
  /** A qcow2 image's header facts other than `qemu-img create`'s defaults (its `-o` options). */
  readonly qcow2?: Qcow2Facts;
  /** Bytes of a raw file's first KiB set by writes (a header written by hand), by offset. */
  readonly bytes?: Readonly<Record<number, number>>;
  /** The data clusters written to a qcow2 image, in order. */
  readonly clusters?: readonly number[];
  /** Where a raw file holds data (SEEK_DATA), in order; absent: all of it. */
  readonly data?: readonly Extent[];
}

const DEFAULT_SIZE = 64 * 1024 * 1024;

/**
 * What `qemu-img create -f qcow2` leaves on disk with other options (qcow2_co_create()): the
 * header, refcount table and refcount block clusters, then the L1 table.
 */
function qcow2FileSize(size: number, facts: Qcow2Facts | undefined): number {
  if (!facts) return FORMAT_FACTS.qcow2.fileSize(size);
  const c = facts.clusterSize;
  const perL2 = clustersPerL2(facts);
  return 3 * c + 8 * Math.max(1, Math.ceil(size / (c * perL2)));
}

/** The file system's block: what SEEK_DATA and SEEK_HOLE tell apart. */
const FS_BLOCK = 4096;

/**
 * Where a qcow2 image's file holds data (SEEK_DATA), as a raw node over it reads it: the header,
 * refcount table and refcount block clusters and the L1 table's blocks (qcow2_co_create()), then
 * each cluster its writes allocated, in the order they lie in the file.
 */
function qcow2Extents(facts: Qcow2Facts, virtualSize: number, fileSize: number): Extent[] | undefined {
  const c = facts.clusterSize;
  const l1Bytes = 8 * Math.max(1, Math.ceil(virtualSize / (c * clustersPerL2(facts))));
  const extents: [number, number][] = [[0, 3 * c + Math.ceil(l1Bytes / FS_BLOCK) * FS_BLOCK]];
  (facts.layout ?? []).forEach((cluster, at) => {
    if (cluster === null) return;
    const [from, to] = [(METADATA_CLUSTERS + at) * c, (METADATA_CLUSTERS + at + 1) * c];
    const last = extents.at(-1)!;
    if (from <= last[1]) last[1] = Math.max(last[1], to);
    else extents.push([from, to]);
  });
  // none past the file's end; undefined where the file is data throughout
  const within = extents.flatMap(([from, to]): Extent[] => (from < fileSize ? [[from, Math.min(to, fileSize)]] : []));
  return within.length === 1 && within[0]![0] === 0 && within[0]![1] >= fileSize ? undefined : within;
}

/** Where the file holds data, where known and not all of it. */
function dataExtents(file: VirtualFile, format: DiskFormat, virtualSize: number, size: number): { data?: readonly Extent[] } {
  if (file.data) return { data: file.data };
  const extents = format === 'qcow2' ? qcow2Extents(qcow2Facts(file), virtualSize, size) : undefined;
  return extents ? { data: extents } : {};
}

/** A virtual qcow2 image's header facts, with where its clusters lie (what its writes allocated). */
function qcow2Facts(file: VirtualFile): Qcow2Facts {
  const facts = file.qcow2 ?? QCOW2_DEFAULTS;
  return { ...facts, layout: layoutOfWrites(file.clusters ?? [], clustersPerL2(facts)) };
}

export function refusal(flag: boolean | string | undefined): string | null {
  if (flag === undefined || flag === true) return null;
  return flag === false ? ERRNO_TEXT.EACCES : flag;
}

/** A virtual file's facts, or why it cannot be looked at. */
export function inspectFile(file: VirtualFile | undefined, path: string): FileFacts | { error: string } {
  if (!file) return { error: ERRNO_TEXT.ENOENT };
  const readable = refusal(file.readable);
  if (readable) return { error: readable };
  const cloopSize = file.bytes && (file.format ?? 'raw') === 'raw' ? cloopVirtualSize((at) => file.bytes?.[at] ?? 0) : undefined;
  if (cloopSize !== undefined) {
    const size = file.size ?? DEFAULT_SIZE;
    return { regular: file.regular ?? true, size, header: { format: 'cloop', virtualSize: cloopSize }, identity: `virtual:${path}` };
  }
  const format = file.format ?? 'raw';
  const virtualSize = file.size ?? DEFAULT_SIZE;
  const size = file.fileSize ?? (format === 'qcow2' ? qcow2FileSize(virtualSize, file.qcow2) : FORMAT_FACTS[format].fileSize(virtualSize, file.backingFile));
  return {
    regular: file.regular ?? true,
    size,
    header: {
      format,
      virtualSize,
      ...(format === 'qcow2' ? { qcow2: qcow2Facts(file) } : {}),
      ...(file.backingFile !== undefined ? { backingFile: file.backingFile } : {}),
      ...(file.backingFormat !== undefined ? { backingFormat: file.backingFormat } : {}),
      ...(file.password !== undefined ? { password: file.password } : {}),
    },
    identity: `virtual:${path}`,
    ...dataExtents(file, format, virtualSize, size),
  };
}
