/**
 * QEMU's error texts about dirty bitmaps, with the function that gives each; part of the one
 * message table (src/messages/messages.ts spreads them in).
 */
export const bitmapMessages = {
  // block/monitor/bitmap-qmp-cmds.c: qmp_block_dirty_bitmap_add()
  bitmapNameEmpty: () => 'Bitmap name cannot be empty',
  bitmapGranularity: () => 'Granularity must be power of 2 and at least 512',
  // block/dirty-bitmap.c: bdrv_create_dirty_bitmap() (and qcow2_co_can_store_new_dirty_bitmap())
  bitmapExists: (name: string) => `Bitmap already exists: ${name}`,
  bitmapNameTooLong: (name: string) => `Bitmap name too long: ${name}`,
  // block/dirty-bitmap.c: bdrv_co_can_store_new_dirty_bitmap(), a driver without it (ENOTSUP)
  cannotStoreBitmaps: (node: string) => `Can't store persistent bitmaps to ${node}: Operation not supported`,
  // block/qcow2-bitmap.c: qcow2_co_can_store_new_dirty_bitmap(), check_constraints_on_bitmap()
  cannotMakePersistent: (name: string, node: string, why: string) => `Can't make bitmap '${name}' persistent in '${node}': ${why}`,
  qcow2BitmapTooLarge: () => 'Too much space will be occupied by the bitmap. Use larger granularity',
  qcow2BitmapNameTooLong: () => 'Name length exceeds maximum (1023 characters)',
  // block/monitor/bitmap-qmp-cmds.c: block_dirty_bitmap_lookup()
  bitmapNodeNotFound: (node: string) => `Node '${node}' not found`,
  bitmapNotFound: (name: string) => `Dirty bitmap '${name}' not found`,
  // block/dirty-bitmap.c: bdrv_dirty_bitmap_check()
  bitmapBusy: (name: string) => `Bitmap '${name}' is currently in use by another operation and cannot be used`,
  bitmapReadOnly: (name: string) => `Bitmap '${name}' is readonly and cannot be modified`,
  // block/dirty-bitmap.c: bdrv_merge_dirty_bitmap()
  bitmapSizesDiffer: (dest: number, src: number) =>
    `Bitmaps are of different sizes (destination size is ${dest}, source size is ${src}) and can't be merged`,
  // blockdev.c: do_backup_common()
  backupBitmapModeIncremental: () => "Bitmap sync mode must be 'on-success' when using sync mode 'incremental'",
  backupBitmapNotFound: (name: string) => `Bitmap '${name}' could not be found`,
  backupBitmapModeRequired: () => 'Bitmap sync mode must be given when providing a bitmap',
  backupBitmapSyncNone: () => "sync mode 'none' does not produce meaningful bitmap outputs",
  backupBitmapModeUseless: (mode: string, sync: string) => `Bitmap sync mode '${mode}' has no meaningful effect when combined with sync mode '${sync}'`,
  backupBitmapModeWithoutBitmap: () => 'Cannot specify bitmap sync mode without a bitmap',
  // nbd/server.c: nbd_export_create()
  exportBitmapNotFound: (name: string) => `Bitmap '${name}' is not found`,
  exportBitmapEnabled: (name: string) => `Enabled bitmap '${name}' incompatible with readonly export`,
  // block/qcow2-bitmap.c: qcow2_store_persistent_dirty_bitmaps(), can_write()
  bitmapsNoWriteAccess: () => 'No write access',
} as const;
