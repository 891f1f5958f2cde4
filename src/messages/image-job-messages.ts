/**
 * The error texts of blockdev-create and x-blockdev-amend and of what their jobs do, each with the
 * QEMU function that gives it (the same in QEMU 7.2 and 10.0); part of `msg` (messages.ts).
 */
export const imageJobMessages = {
  // block/create.c: qmp_blockdev_create(); block/amend.c: qmp_x_blockdev_amend()
  createNotSupported: () => 'Driver does not support blockdev-create',
  amendNotSupported: () => 'Driver does not support x-blockdev-amend',
  amendChangesDriver: () => "x-blockdev-amend doesn't support changing the block driver",
  // block/qcow2.c: qcow2_co_amend()
  amendNotEncrypted: () => "image is not encrypted, can't amend",
  // util/osdep.c: qemu_open_internal() with O_CREAT, from file-posix.c: raw_co_create()
  couldNotCreate: (path: string, errno: string) => `Could not create '${path}': ${errno}`,
  // block/file-posix.c: raw_co_create(), handle_aiocb_truncate()
  extentSizeHintTooLarge: () => 'Extent size hint is too large',
  filePreallocUnsupported: (mode: string) => `Unsupported preallocation mode: ${mode}`,
  // block/qcow2.c: qcow2_co_create(), validate_cluster_size()
  qcow2CreateSizeAlign: () => 'Image size must be a multiple of 512 bytes',
  qcow2ExtendedL2NeedsV3: () => 'Extended L2 entries are only supported with compatibility level 1.1 and above (use version=v3 or greater)',
  qcow2ClusterSize: () => 'Cluster size must be a power of two between 512 and 2048k',
  qcow2ExtendedL2ClusterSize: () => 'Extended L2 entries are only supported with cluster sizes of at least 16384 bytes',
  qcow2BackingPrealloc: () => 'Backing file and preallocation can only be used at the same time if extended_l2 is on',
  qcow2BackingFmtWithoutFile: () => 'Backing format cannot be used without backing file',
  qcow2LazyRefcountsNeedV3: () => 'Lazy refcounts only supported with compatibility level 1.1 and above (use version=v3 or greater)',
  qcow2RefcountWidth: () => 'Refcount width must be a power of two and may not exceed 64 bits',
  qcow2RefcountWidthNeedsV3: () => 'Different refcount widths than 16 bits require compatibility level 1.1 or above (use version=v3 or greater)',
  qcow2DataFileRawNeedsDataFile: () => 'data-file-raw requires data-file',
  qcow2BackingAndDataFileRaw: () => 'Backing file and data-file-raw cannot be used at the same time',
  qcow2DataFileNeedsV3: () => 'External data files are only supported with compatibility level 1.1 and above (use version=v3 or greater)',
  qcow2CompressionNeedsV3: () => 'Non-zlib compression type is only supported with compatibility level 1.1 and above (use version=v3 or greater)',

  // permgraph's own text, not QEMU's: commands/image-commands.ts, a creation the simulator has no model of
  createNotSimulated: (what: string) => `blockdev-create of ${what} is not simulated by permgraph (simulated: file, qcow2 without data-file or encrypt)`,
} as const;
