/**
 * QEMU's texts for the snapshot commands, transactions, change-backing-file, x-blockdev-set-iothread
 * and the legacy NBD export commands (blockdev.c, blockdev-nbd.c), spread into `msg`.
 */
export const snapshotMessages = {
  // blockdev.c: qmp_change_backing_file(); x-blockdev-set-iothread: qmp_x_blockdev_set_iothread()
  noBackingFileToChange: () => 'not allowing backing file change on an image without a backing file',
  notInSameChain: (device: string) => `'${device}' and image file are not in the same chain`,
  couldNotChangeBackingFile: (file: string, errno: string) => `Could not change backing file to '${file}': ${errno}`,
  nodeNameNotFound: (name: string) => `Failed to find node with node-name='${name}'`,
  nodeHasBlockBackend: (name: string) => `Node ${name} is associated with a BlockBackend and could be in use (use force=true to override this check)`,
  iothreadNotFound: (id: string) => `Cannot find iothread ${id}`,
  // blockdev-nbd.c: qmp_nbd_server_remove()
  notAnNbdExport: (name: string) => `Block export '${name}' is not an NBD export`,
  // blockdev.c: external_snapshot_prepare() (blockdev-snapshot-sync), internal_snapshot_prepare()
  overlayIsFilter: () => 'Filters cannot be used as overlays',
  overlayNodeNameMissing: () => 'New overlay node-name missing',
  overlayNodeNameInUse: () => 'New overlay node-name already in use',
  backingNotSupported: (format: string) => `Backing file not supported for file format '${format}'`, // block.c: bdrv_img_create()
  deviceReadOnly: (device: string) => `Device '${device}' is read only`,
  noInternalSnapshots: (format: string, device: string) => `Block format '${format}' used by device '${device}' does not support internal snapshots`,
  snapshotNameEmpty: () => 'Name is empty',
  snapshotExists: (name: string, device: string) => `Snapshot with name '${name}' already exists on device '${device}'`,
  // blockdev.c: qmp_blockdev_snapshot_delete_internal_sync(); block/snapshot.c: bdrv_snapshot_find_by_id_and_name()
  snapshotNameOrId: () => 'Name or id must be provided',
  snapshotNotFound: (id: string | undefined, name: string | undefined, device: string) =>
    `Snapshot with id '${id ?? 'null'}' and name '${name ?? 'null'}' does not exist on device '${device}'`,
  snapshotListUnsupported: () => 'Failed to get a snapshot list: Operation not supported',
  // blockdev.c: action_check_completion_mode() (7.2), qmp_transaction() (10.0), abort_prepare()
  completionModeUnsupported: (action: string, mode: string) => `Action '${action}' does not support Transaction property completion-mode = ${mode}`,
  completionModeUnsupported10: (action: string, mode: string) => `Action '${action}' does not support transaction property completion-mode = ${mode}`,
  transactionAborted: () => 'Transaction aborted using Abort action',
} as const;
