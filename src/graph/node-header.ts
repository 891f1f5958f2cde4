/**
 * What a format driver read from its image header and keeps for queries: bs->backing_file and
 * bs->backing_format as written there, and for qcow2 what qcow2_get_info() and
 * qcow2_get_specific_info() report (block/qcow2.c).
 */
import type { InternalSnapshot } from './state-types.js';

/** A qcow2 header's facts (QCowHeader: version, cluster_bits, the feature bits, refcount_order, compression_type). */
export interface Qcow2Facts {
  /** version 2 → '0.10', version 3 → '1.1' */
  readonly compat: '0.10' | '1.1';
  readonly clusterSize: number;
  readonly lazyRefcounts: boolean;
  readonly refcountBits: number;
  readonly extendedL2: boolean;
  readonly compressionType: 'zlib' | 'zstd';
  /** QCOW2_INCOMPAT_CORRUPT */
  readonly corrupt: boolean;
  /** QCOW2_INCOMPAT_DIRTY */
  readonly dirty: boolean;
  /**
   * Where its clusters lie in the file past the header, refcount table and block and L1 table
   * (src/drivers/qcow2-layout.ts). Absent where not known (an image on the host).
   */
  readonly layout?: readonly HostCluster[];
  /** Its internal snapshots, oldest first (the snapshot table); absent: none. */
  readonly snapshots?: readonly Qcow2Snapshot[];
}

/**
 * One host cluster of a qcow2 image past its first four: an L2 table (by L1 index) or a data
 * cluster (by guest cluster) of the active image; one of the internal snapshots' (an L1 table
 * copy, the snapshot table, or a table or data cluster only snapshots still use); a persistent
 * bitmap's table or the bitmap directory; or free.
 */
export type HostCluster =
  | { readonly l2: number }
  | { readonly data: number }
  | { readonly snapshot: 'l1' | 'table' | 'kept' }
  | { readonly bitmap: 'table' | 'directory' }
  | null;

/**
 * An internal snapshot as the image keeps it (QCowSnapshot): what QMP shows, and the host clusters
 * (layout indexes) of its L1 table copy and of the L2 tables and data clusters it refers to.
 */
export interface Qcow2Snapshot extends InternalSnapshot {
  readonly l1: readonly number[];
  readonly refs: readonly number[];
}

/** The qcow2 facts of `qemu-img create -f qcow2` with no options. */
export const QCOW2_DEFAULTS: Qcow2Facts = {
  compat: '1.1',
  clusterSize: 65536,
  lazyRefcounts: false,
  refcountBits: 16,
  extendedL2: false,
  compressionType: 'zlib',
  corrupt: false,
  dirty: false,
};

export interface NodeHeader {
  /** bs->backing_file: as the header names it ('' when none). */
  readonly backingFile: string;
  /** bs->backing_format ('' when none). */
  readonly backingFormat: string;
  readonly qcow2?: Qcow2Facts;
}
