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

/** The BdrvChildRole bits by QEMU's names (BDRV_CHILD_DATA …), lowercased. */
const ROLE_NAMES: readonly (readonly [number, string])[] = [
  [Role.DATA, 'data'],
  [Role.METADATA, 'metadata'],
  [Role.FILTERED, 'filtered'],
  [Role.COW, 'cow'],
  [Role.PRIMARY, 'primary'],
];

/** `['data', 'metadata', 'primary']` for BDRV_CHILD_IMAGE; `[]` for a job's edge. */
export const roleNames = (role: number): string[] => ROLE_NAMES.flatMap(([bit, name]) => (role & bit ? [name] : []));
