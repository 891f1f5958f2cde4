/**
 * Permission bits with QEMU's values (include/block/block-common.h, BLK_PERM_*).
 * A permission set is a plain number: the bitwise OR of these bits.
 */
export const Perm = {
  CONSISTENT_READ: 0x01,
  WRITE: 0x02,
  WRITE_UNCHANGED: 0x04,
  RESIZE: 0x08,
} as const;

export type PermSet = number;

export const PERM_ALL: PermSet = 0x0f;
export const PERM_NONE: PermSet = 0;

/** The bits in QEMU's walking order: CR, W, WU, RS. */
export const PERM_BITS: readonly PermSet[] = [
  Perm.CONSISTENT_READ,
  Perm.WRITE,
  Perm.WRITE_UNCHANGED,
  Perm.RESIZE,
];

/** bdrv_perm_names() wording, by bit position. */
const DISPLAY_NAMES = ['consistent read', 'write', 'write unchanged', 'resize'] as const;

/** QAPI BlockPermission names, by bit position. */
export const QMP_PERM_NAMES = ['consistent-read', 'write', 'write-unchanged', 'resize'] as const;
export type QmpPermName = (typeof QMP_PERM_NAMES)[number];

export const has = (set: PermSet, bits: PermSet): boolean => (set & bits) !== 0;
export const hasAll = (set: PermSet, bits: PermSet): boolean => (set & bits) === bits;
export const union = (...sets: PermSet[]): PermSet => sets.reduce((a, b) => a | b, 0);
export const minus = (set: PermSet, bits: PermSet): PermSet => set & ~bits & PERM_ALL;
export const isSubset = (set: PermSet, of: PermSet): boolean => (set & ~of) === 0;

/** bdrv_perm_names(): "consistent read, write" (bit order, comma and space). */
export function permNames(set: PermSet): string {
  return PERM_BITS.flatMap((bit, i) => (set & bit ? [DISPLAY_NAMES[i]!] : [])).join(', ');
}

/**
 * The QMP list of x-debug-query-block-graph: built by prepending while walking
 * the enum, so it comes out in descending bit order.
 */
export function qmpPermList(set: PermSet): QmpPermName[] {
  const names: QmpPermName[] = [];
  PERM_BITS.forEach((bit, i) => {
    if (set & bit) names.unshift(QMP_PERM_NAMES[i]!);
  });
  return names;
}

export function permFromQmpName(name: string): PermSet | undefined {
  const i = (QMP_PERM_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : PERM_BITS[i];
}

/** The letters of the short notation: C, W, U, R (or '-' for the empty set). */
export function permLetters(set: PermSet): string {
  const letters = PERM_BITS.flatMap((bit, i) => (set & bit ? ['CWUR'[i]!] : [])).join('');
  return letters || '-';
}

/**
 * The perm mask that `permgraph run` and `permgraph graph` print, from QEMU's
 * scripts/render_block_graph.py: one place per permission, `w` write, `r` consistent read, `u`
 * write unchanged, `s` resize, and `_` where it is absent (`wr_s`, `_r__`, `____`).
 */
export function permMask(set: PermSet): string {
  return [
    set & Perm.WRITE ? 'w' : '_',
    set & Perm.CONSISTENT_READ ? 'r' : '_',
    set & Perm.WRITE_UNCHANGED ? 'u' : '_',
    set & Perm.RESIZE ? 's' : '_',
  ].join('');
}

/** The set a QMP list names (names it does not know count for nothing). */
export const permFromQmpList = (names: readonly string[]): PermSet => names.reduce((set, name) => set | (permFromQmpName(name) ?? 0), 0);

/** What the mask's letters stand for, one line each: QEMU's QMP name and bdrv_perm_names() words. */
export const PERM_MASK_LEGEND: readonly string[] = [
  'w  write             (QMP write)',
  'r  consistent read   (QMP consistent-read)',
  'u  write unchanged   (QMP write-unchanged)',
  's  resize            (QMP resize)',
  '_  the permission is absent',
];
