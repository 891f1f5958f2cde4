/**
 * The error texts of a mirror's own arguments, each with the QEMU function that gives it (the same
 * in QEMU 7.2 and 10.0); part of `msg` (messages.ts).
 */
export const mirrorMessages = {
  // blockdev.c: blockdev_mirror_common()
  mirrorGranularityRange: () => "Parameter 'granularity' expects a value in range [512B, 64MB]",
  mirrorGranularityPowerOf2: () => "Parameter 'granularity' expects a power of 2",
  // block/mirror.c: mirror_start_job()
  mirrorBufSizeInvalid: () => "Invalid parameter 'buf-size'",
};
