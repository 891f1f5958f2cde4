import { describe, expect, it } from 'vitest';
import { Perm, PERM_ALL, permFromQmpName, permLetters, permNames, qmpPermList } from '../../src/perms/perm.js';
import { cumulativePerm } from '../../src/perms/cumulative.js';
import { hasWriters } from '../../src/perms/writers.js';

const NAMES = ['consistent read', 'write', 'write unchanged', 'resize'];
const QMP = ['consistent-read', 'write', 'write-unchanged', 'resize'];

describe('permission bits (block-common.h, bdrv_perm_names)', () => {
  it("has QEMU's values", () => {
    expect(Perm).toEqual({ CONSISTENT_READ: 1, WRITE: 2, WRITE_UNCHANGED: 4, RESIZE: 8 });
    expect(PERM_ALL).toBe(15);
  });

  it('names every one of the 16 sets in bit order, joined by ", "', () => {
    for (let set = 0; set < 16; set++) {
      const expected = NAMES.filter((_, i) => set & (1 << i)).join(', ');
      expect(permNames(set)).toBe(expected);
    }
    expect(permNames(Perm.WRITE | Perm.RESIZE)).toBe('write, resize');
    expect(permNames(0)).toBe('');
  });

  it('lists QMP names in descending bit order, as x-debug-query-block-graph prepends them', () => {
    for (let set = 0; set < 16; set++) {
      expect(qmpPermList(set)).toEqual(QMP.filter((_, i) => set & (1 << i)).reverse());
    }
    expect(qmpPermList(PERM_ALL)).toEqual(['resize', 'write-unchanged', 'write', 'consistent-read']);
  });

  it('reads QMP names and writes the short letters', () => {
    expect(QMP.map(permFromQmpName)).toEqual([1, 2, 4, 8]);
    expect(permFromQmpName('graph-mod')).toBeUndefined();
    expect(permLetters(0)).toBe('-');
    expect(permLetters(PERM_ALL)).toBe('CWUR');
    expect(permLetters(Perm.CONSISTENT_READ | Perm.RESIZE)).toBe('CR');
  });
});

describe('cumulative perm and shared (bdrv_get_cumulative_perm)', () => {
  it('is perm ALL-shared with no parent', () => expect(cumulativePerm([])).toEqual({ perm: 0, shared: PERM_ALL }));
  it('ORs perms and ANDs shared', () => {
    expect(cumulativePerm([{ perm: 1, shared: 7 }, { perm: 2, shared: 13 }])).toEqual({ perm: 3, shared: 5 });
  });
});

describe('who counts as a writer', () => {
  it('for a file descriptor: write, write unchanged or resize', () => {
    expect([Perm.WRITE, Perm.WRITE_UNCHANGED, Perm.RESIZE].every((p) => hasWriters(true, p))).toBe(true);
    expect(hasWriters(true, Perm.CONSISTENT_READ)).toBe(false);
  });
  it('for other nodes: write or write unchanged, not resize', () => {
    expect(hasWriters(false, Perm.RESIZE)).toBe(false);
    expect(hasWriters(false, Perm.WRITE_UNCHANGED)).toBe(true);
  });
});
