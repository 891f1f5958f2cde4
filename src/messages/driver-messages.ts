/**
 * QEMU's texts of the filter and special drivers (blkdebug, blklogwrites, quorum and its
 * x-blockdev-change, preallocate, compress, replication, the file-posix device drivers), with the
 * function that produces each; part of the one message table (src/messages/messages.ts).
 */
export const driverMsg = {
  // block/preallocate.c: preallocate_absorb_opts(); block/filter-compress.c: compress_open()
  preallocateAlignment: (sector: number) => `prealloc-align parameter of preallocate filter is not aligned to ${sector}`,
  compressionUnsupported: (format: string) => `Compression is not supported for underlying format: ${format}`,
  // block/replication.c: replication_open(); block/file-posix.c: raw_open_common() (host_device, host_cdrom)
  replicationPrimaryTopId: () => 'The primary side does not support option top-id',
  replicationMissingTopId: () => 'Missing the option top-id',
  notDevice: (driver: string, filename: string) => `'${driver}' driver requires '${filename}' to be either a character or block device`,
  // block/blkdebug.c: read_config(), blkdebug_open()
  blkdebugConfigUnreadable: (errno: string) => `Could not read blkdebug config file: ${errno}`,
  blkdebugConstraint: (option: string, value: string) => `Cannot meet constraints with ${option} ${value}`,
  // block/blklogwrites.c: blk_log_writes_open()
  logAppendWithSectorSize: () => 'log-append and log-sector-size are mutually exclusive',
  logSuperblockMagic: () => 'Invalid log superblock magic',
  logSectorSize: (size: string) => `Invalid log sector size ${size}`,
  logUpdateInterval: (interval: string) => `Invalid log superblock update interval ${interval}`,
  // block/quorum.c: quorum_open(), quorum_valid_threshold() (QERR_INVALID_PARAMETER_VALUE), quorum_add_child(), quorum_del_child()
  quorumNoChildren: () => 'Number of provided children must be 1 or more',
  invalidParameterValue: (name: string, expected: string) => `Parameter '${name}' expects ${expected}`,
  quorumThresholdTooHigh: () => 'threshold may not exceed children count',
  quorumBlkverifyShape: () => 'blkverify=on can only be set if there are exactly two files and vote-threshold is 2',
  quorumRewriteWithBlkverify: () => 'rewrite-corrupted=on cannot be used with blkverify=on',
  quorumAddBlkverify: () => 'Cannot add a child to a quorum in blkverify mode',
  quorumBelowThreshold: (threshold: string) => `The number of children cannot be lower than the vote threshold ${threshold}`,
  // blockdev.c: qmp_x_blockdev_change(); block.c: bdrv_add_child(), bdrv_del_child()
  changeChildAndNode: () => 'The parameters child and node are in conflict',
  changeNeitherChildNorNode: () => 'Either child or node must be specified',
  changeNoSuchChild: (parent: string, child: string) => `Node '${parent}' does not have child '${child}'`,
  changeNodeNotFound: (node: string) => `Node '${node}' not found`,
  cannotAddChild: (node: string) => `The node ${node} does not support adding a child`,
  cannotRemoveChild: (node: string) => `The node ${node} does not support removing a child`,
  alreadyHasParent: (node: string) => `The node ${node} already has a parent`,
} as const;
