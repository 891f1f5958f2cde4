/** Dirty bitmaps as the graph keeps them (block/dirty-bitmap.c, block/qcow2-bitmap.c). */

/**
 * A named dirty bitmap (block/dirty-bitmap.c: BdrvDirtyBitmap). Nothing writes guest data here;
 * bits are set only where a backup that failed with bitmap-mode `always` did not copy
 * (src/jobs/backup-bitmap.ts). Busy is not kept here: a backup job or an NBD export that uses it
 * says so (src/graph/bitmaps.ts).
 */
export interface DirtyBitmap {
  readonly name: string;
  /** bitmap->size: its node's length (bdrv_getlength()) when made, and after each truncate. */
  readonly size: number;
  readonly granularity: number;
  readonly persistent: boolean;
  readonly disabled: boolean;
  /** bitmap->readonly: a persistent bitmap of a qcow2 image that is read-only (qcow2_reopen_bitmaps_ro()). */
  readonly readonly: boolean;
  /** Where its bits are set: byte ranges in whole granules, in order, apart (absent: none). */
  readonly dirty?: readonly (readonly [number, number])[];
}

/** A persistent bitmap as a qcow2 image stores it (block/qcow2-bitmap.c: Qcow2Bitmap). */
export interface StoredBitmap {
  readonly name: string;
  readonly granularity: number;
  /** BME_FLAG_AUTO: it records once loaded. */
  readonly auto: boolean;
  /** The clusters of its bitmap table (qcow2 layout indexes); absent where the image's clusters are not known. */
  readonly table?: readonly number[];
}

/** A dirty bitmap by its node and name (BlockDirtyBitmap). */
export interface BitmapRef {
  readonly node: string;
  readonly name: string;
}
