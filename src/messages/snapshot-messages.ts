/**
 * QEMU's texts for the snapshot commands and transactions (blockdev.c), spread into `msg`.
 */
export const snapshotMessages = {
  // blockdev.c: external_snapshot_prepare() (blockdev-snapshot-sync), internal_snapshot_prepare()
  overlayIsFilter: () => 'Filters cannot be used as overlays',
  overlayNodeNameMissing: () => 'New overlay node-name missing',
  overlayNodeNameInUse: () => 'New overlay node-name already in use',
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
