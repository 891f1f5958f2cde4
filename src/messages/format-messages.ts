/**
 * The error texts of the image-format drivers other than raw and qcow2 (block/qcow.c, qed.c,
 * vmdk.c, vpc.c, vdi.c, parallels.c, bochs.c, cloop.c, dmg.c, crypto.c and crypto/block-luks.c),
 * each with the QEMU function that gives it; src/messages/messages.ts takes them all in.
 */
export const formatMessages = {
  // qcow.c: qcow_open(), qed.c: bdrv_qed_do_open(), parallels.c: parallels_open(), bochs.c: bochs_open()
  imageNotInFormat: (name: string) => `Image not in ${name} format`,
  // qcow.c: qcow_open(), on a header of another version (a qcow2 image)
  qcowVersion: (version: number) => `qcow (v1) does not support qcow version ${version}`,
  // vmdk.c: vmdk_read_desc()
  vmdkFileTooSmall: () => 'File is too small, not a valid image',
  // vmdk.c: vmdk_open_desc_file()
  vmdkInvalidDescriptor: () => 'invalid VMDK image descriptor',
  // vpc.c: vpc_open()
  vpcFileTooSmall: () => 'File too small for a VHD header',
  vpcInvalid: () => 'invalid VPC image',
  // vdi.c: vdi_open()
  vdiBadSignature: (signature: string) => `Image not in VDI format (bad signature ${signature})`,
  vdiUnsupportedSize: (size: string, max: string) => `Unsupported VDI image size (size is 0x${size}, max supported is 0x${max})`,
  // cloop.c: cloop_open()
  cloopBlockSizeZero: () => 'block_size cannot be zero',
  cloopBlockSizeTooLarge: (size: number) => `block_size ${size} must be 64 MB or less`,
  cloopBlockSizeNotMultiple: (size: number) => `block_size ${size} must be a multiple of 512`,
  // dmg.c: dmg_find_koly_offset()
  dmgTooSmall: () => 'dmg file must be at least 512 bytes long',
  dmgNoTrailer: () => 'Could not locate UDIF trailer in dmg file',
  // crypto/block-luks.c: qcrypto_block_luks_open()
  luksKeySecretRequired: () => "Parameter 'key-secret' is required for cipher",
  luksNotLuks: () => 'Volume is not in LUKS format',
  luksInvalidPassword: () => 'Invalid password, cannot unlock any keyslot',
  // crypto/secret_common.c: qcrypto_secret_lookup()
  noSecret: (id: string) => `No secret with id '${id}'`,
  notASecret: (id: string) => `Object with id '${id}' is not a secret`,
  // crypto/secret_common.c: qcrypto_secret_complete() via crypto/secret.c: qcrypto_secret_load_data()
  secretNeedsData: () => "Either 'file' or 'data' must be provided",
  // qom/object.c: object_property_set(), for QEMU 7.2's read-only `loaded` of a secret
  propertyNotWritable: (property: string) => `Property '${property}' is not writable`,
  // qed.c: bdrv_qed_co_truncate()
  qedInvalidSize: () => 'Invalid image size specified',
  qedCannotShrink: () => 'Shrinking images is currently not supported',
} as const;
