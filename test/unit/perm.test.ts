/**
 * Permission bits and their spellings (spec §1): include/block/block-common.h (BLK_PERM_*),
 * block.c: bdrv_perm_names() for error texts, block.c: xdbg_graph_add_edge() for QMP lists.
 */
import { describe, expect, it } from 'vitest';
import {
  has,
  hasAll,
  isSubset,
  minus,
  Perm,
  PERM_ALL,
  PERM_BITS,
  PERM_NONE,
  permFromQmpList,
  permFromQmpName,
  permLetters,
  permMask,
  permNames,
  QMP_PERM_NAMES,
  qmpPermList,
  union,
} from '../../src/perms/perm.js';

/** Every set 0..15: bdrv_perm_names() text, x-debug-query-block-graph list, short letters. */
const SETS: readonly [number, string, string[], string][] = [
  [0x0, '', [], '-'],
  [0x1, 'consistent read', ['consistent-read'], 'C'],
  [0x2, 'write', ['write'], 'W'],
  [0x3, 'consistent read, write', ['write', 'consistent-read'], 'CW'],
  [0x4, 'write unchanged', ['write-unchanged'], 'U'],
  [0x5, 'consistent read, write unchanged', ['write-unchanged', 'consistent-read'], 'CU'],
  [0x6, 'write, write unchanged', ['write-unchanged', 'write'], 'WU'],
  [0x7, 'consistent read, write, write unchanged', ['write-unchanged', 'write', 'consistent-read'], 'CWU'],
  [0x8, 'resize', ['resize'], 'R'],
  [0x9, 'consistent read, resize', ['resize', 'consistent-read'], 'CR'],
  [0xa, 'write, resize', ['resize', 'write'], 'WR'],
  [0xb, 'consistent read, write, resize', ['resize', 'write', 'consistent-read'], 'CWR'],
  [0xc, 'write unchanged, resize', ['resize', 'write-unchanged'], 'UR'],
  [0xd, 'consistent read, write unchanged, resize', ['resize', 'write-unchanged', 'consistent-read'], 'CUR'],
  [0xe, 'write, write unchanged, resize', ['resize', 'write-unchanged', 'write'], 'WUR'],
  [0xf, 'consistent read, write, write unchanged, resize', ['resize', 'write-unchanged', 'write', 'consistent-read'], 'CWUR'],
];

describe('permission bits (BLK_PERM_*)', () => {
  it("has QEMU's values: 1, 2, 4, 8", () => {
    expect(Perm).toEqual({ CONSISTENT_READ: 1, WRITE: 2, WRITE_UNCHANGED: 4, RESIZE: 8 });
    expect(PERM_ALL).toBe(0x0f);
    expect(PERM_NONE).toBe(0);
  });

  it('walks the bits in the order CR, W, WU, RS', () => {
    expect(PERM_BITS).toEqual([1, 2, 4, 8]);
    expect(QMP_PERM_NAMES).toEqual(['consistent-read', 'write', 'write-unchanged', 'resize']);
  });

  it('covers all 16 sets in the table below', () => {
    expect(SETS.map(([set]) => set)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});

describe('permNames (bdrv_perm_names)', () => {
  it.each(SETS)('set %i reads %j', (set, names) => {
    expect(permNames(set)).toBe(names);
  });
});

describe('qmpPermList (x-debug-query-block-graph: prepended, so descending bit order)', () => {
  it.each(SETS)('set %i lists as given', (set, _names, list) => {
    expect(qmpPermList(set)).toEqual(list);
  });

  it('gives the order QEMU 7.2 showed for a qcow2 file child and a writable export', () => {
    expect(qmpPermList(Perm.CONSISTENT_READ | Perm.WRITE | Perm.RESIZE)).toEqual(['resize', 'write', 'consistent-read']);
    expect(qmpPermList(Perm.CONSISTENT_READ | Perm.WRITE | Perm.WRITE_UNCHANGED)).toEqual(['write-unchanged', 'write', 'consistent-read']);
  });
});

describe('permLetters (the short notation C, W, U, R)', () => {
  it.each(SETS)('set %i is written as given', (set, _names, _list, letters) => {
    expect(permLetters(set)).toBe(letters);
  });
});

describe('permMask (the notation of permgraph run and graph: render_block_graph.py\'s wrus)', () => {
  it('writes w, r, u, s in place, _ where absent', () => {
    expect([0x0, 0x1, 0x2, 0x4, 0x8, 0xb, 0x5, 0xf].map(permMask)).toEqual(['____', '_r__', 'w___', '__u_', '___s', 'wr_s', '_ru_', 'wrus']);
  });

  it.each(SETS)('set %i: one letter per bit, and back from its QMP list', (set, _names, list) => {
    const mask = permMask(set);
    expect(mask).toHaveLength(4);
    expect(mask.replaceAll('_', '')).toHaveLength(list.length);
    expect(permFromQmpList(list)).toBe(set);
  });
});

describe('permFromQmpName', () => {
  it('reads the four QAPI BlockPermission names', () => {
    expect(['consistent-read', 'write', 'write-unchanged', 'resize'].map(permFromQmpName)).toEqual([1, 2, 4, 8]);
  });

  it('knows no other name: not graph-mod (gone after 6.1), not the display spelling', () => {
    expect(permFromQmpName('graph-mod')).toBeUndefined();
    expect(permFromQmpName('consistent read')).toBeUndefined();
    expect(permFromQmpName('')).toBeUndefined();
  });
});

describe('set helpers', () => {
  const { CONSISTENT_READ: CR, WRITE: W, WRITE_UNCHANGED: WU, RESIZE: RS } = Perm;

  it('has: any of the bits', () => {
    expect(has(CR | W, W | RS)).toBe(true);
    expect(has(CR | W, WU | RS)).toBe(false);
    expect(has(PERM_ALL, 0)).toBe(false);
  });

  it('hasAll: every one of the bits', () => {
    expect(hasAll(CR | W | RS, W | RS)).toBe(true);
    expect(hasAll(CR | W, W | RS)).toBe(false);
    expect(hasAll(0, 0)).toBe(true);
  });

  it('union, minus and isSubset', () => {
    expect(union()).toBe(0);
    expect(union(CR, W, W, RS)).toBe(CR | W | RS);
    expect(minus(PERM_ALL, W | RS)).toBe(CR | WU);
    expect(minus(CR, W)).toBe(CR);
    expect(minus(0xff, 0)).toBe(PERM_ALL);
    expect(isSubset(CR | WU, CR | W | WU)).toBe(true);
    expect(isSubset(CR | RS, CR | W | WU)).toBe(false);
    expect(isSubset(0, 0)).toBe(true);
  });
});
