/** BdrvChildRole bits (include/block/block-common.h). */
export const Role = {
  DATA: 0x01,
  METADATA: 0x02,
  FILTERED: 0x04,
  COW: 0x08,
  PRIMARY: 0x10,
  IMAGE: 0x13,
  /** Job edges carry no role bits. */
  NONE: 0,
} as const;
