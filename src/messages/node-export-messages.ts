/**
 * Error texts of change-backing-file, x-blockdev-set-iothread, nbd-server-remove and the
 * vhost-user-blk, fuse and vduse-blk exports, each with the QEMU function that gives it; part of
 * `msg` (messages.ts).
 */
export const nodeExportMessages = {
  // blockdev.c: qmp_change_backing_file(); x-blockdev-set-iothread: qmp_x_blockdev_set_iothread()
  noBackingFileToChange: () => 'not allowing backing file change on an image without a backing file',
  notInSameChain: (device: string) => `'${device}' and image file are not in the same chain`,
  couldNotChangeBackingFile: (file: string, errno: string) => `Could not change backing file to '${file}': ${errno}`,
  nodeNameNotFound: (name: string) => `Failed to find node with node-name='${name}'`,
  nodeHasBlockBackend: (name: string) => `Node ${name} is associated with a BlockBackend and could be in use (use force=true to override this check)`,
  iothreadNotFound: (id: string) => `Cannot find iothread ${id}`,
  // blockdev-nbd.c: qmp_nbd_server_remove()
  notAnNbdExport: (name: string) => `Block export '${name}' is not an NBD export`,
  // util/block-helpers.c: check_block_size() (7.2: QERR_PROPERTY_VALUE_OUT_OF_RANGE, then the power of 2; 10.0: one text)
  propertyValueOutOfRange: (id: string, name: string, value: number, min: number, max: number) => `Property ${id}.${name} doesn't take value ${value} (minimum: ${min}, maximum: ${max})`,
  blockSizeNotPowerOf2: (id: string, name: string, value: number) => `Property ${id}.${name} doesn't take value '${value}', it's not a power of 2`,
  blockSizeNotPowerOf2Between: (name: string, min: number, max: number) => `parameter ${name} must be a power of 2 between ${min} and ${max}`,
  // block/export/vhost-user-blk-server.c: vu_blk_exp_create(); util/vhost-user-server.c: vhost_user_server_start()
  numQueuesZero: () => 'num-queues must be greater than 0',
  vhostUserSocketTypes: () => "Only socket address types 'unix' and 'fd' are supported",
  // block/export/fuse.c: fuse_export_create(), is_regular_file(), setup_fuse_export()
  fuseMountpointInUse: (mountpoint: string) => `There already is a FUSE export on '${mountpoint}'`,
  fuseStatFailed: (path: string, errno: string) => `Failed to stat '${path}': ${errno}`,
  fuseNotRegularFile: (path: string) => `'${path}' is not a regular file`,
  fuseMountFailed: () => 'Failed to mount FUSE session to export',
  // block/export/vduse-blk.c: vduse_blk_exp_create()
  queueSizeInvalid: () => 'queue-size is invalid',
  vduseDeviceFailed: () => 'failed to create vduse device',
  // block/export/export.c: blk_exp_add()
  exportIothreadNotFound: (id: string) => `iothread "${id}" not found`,
  exportTypeNoInactive: () => 'Export type does not support inactive exports',
  // util/qemu-sockets.c: unix_listen_saddr()
  socketBindFailed: (path: string, errno: string) => `Failed to bind socket to ${path}: ${errno}`,
} as const;
