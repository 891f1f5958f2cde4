/**
 * QEMU's texts for making an image file (block.c: bdrv_img_create(), as drive-mirror,
 * drive-backup and blockdev-snapshot-sync call it, and the formats' .bdrv_co_create_opts), spread
 * into `msg`.
 */
export const imgCreateMessages = {
  unknownFileFormat: (format: string) => `Unknown file format '${format}'`,
  creationNotSupported: (format: string) => `Format driver '${format}' does not support image creation`,
  backingNotSupported: (format: string) => `Backing file not supported for file format '${format}'`,
  backingSameAsImage: () => 'Error: Trying to create an image with the same filename as the backing file',
  // vmdk.c: vmdk_co_create_opts()
  vmdkBackingNotVmdk: () => 'backing_file must be a vmdk image',
  // block.c: bdrv_co_create_opts_simple(): a protocol that can only open what exists (7.2; 10.0 reworded it)
  protocolCannotCreate: (driver: string, why: string) => `Protocol driver '${driver}' does not support image creation, and opening the image failed: ${why}`,
  protocolCannotCreate10: (driver: string, why: string) =>
    `Protocol driver '${driver}' does not support creating new images, so an existing image must be selected as the target; however, opening the given target as an existing image failed: ${why}`,
  // block/nbd.c: nbd_parse_filename()
  nbdFilenameNotNbd: () => "File name string for NBD must start with 'nbd:'",
} as const;
