/**
 * Where a vvfat disk shows its directory's entries (src/drivers/vvfat-map.ts), what a read of its
 * first bytes leaves open, and what a virtual folder lists (corpus: vvfat-backup-leaves-file-open).
 */
import { describe, expect, it } from 'vitest';
import { fileLeftOpen, vvfatMap } from '../../src/drivers/vvfat-map.js';
import { createVirtualStorage } from '../../src/storage/virtual-storage.js';

const KiB = 1024;

describe('a vvfat disk', () => {
  const entries = [
    { name: 'a.qcow2', size: 196_616, directory: false },
    { name: 'sub', size: 0, directory: true },
    { name: 'empty', size: 0, directory: false },
  ];

  it('places the entries from cluster 2 on (FAT16: two clusters of root directory), each in 8 KiB clusters', () => {
    const map = vvfatMap('/w/d/', entries, 0, false);
    expect(map.map((e) => e.path)).toEqual(['/w/d/a.qcow2', '/w/d/sub', '/w/d/empty']);
    // FAT16, 504 MiB: 63 hidden sectors, the boot sector, two FATs of 252 sectors
    const root = (63 + 1 + 2 * 252) * 512;
    expect(map.map((e) => e.firstByte - root)).toEqual([2 * 8 * KiB, (2 + 25) * 8 * KiB, (2 + 25 + 1) * 8 * KiB]);
  });

  it('on FAT32, the root directory takes what its entries need: one cluster here', () => {
    const [first] = vvfatMap('/w/d', entries, 32, false);
    // two FATs of 504 sectors (4-byte entries)
    expect(first!.firstByte).toBe((63 + 1 + 2 * 504 + 16) * 512);
  });

  it('a floppy (2.88 MB, FAT12) has no hidden sectors, and FATs of two sectors', () => {
    const [first] = vvfatMap('/w/d', entries, 0, true);
    expect(first!.firstByte).toBe((1 + 2 * 2 + 2 * 16) * 512);
  });

  it('a read leaves the last file it reached open; a directory reached last closes it', () => {
    const map = vvfatMap('/w/d', entries, 0, false);
    expect(fileLeftOpen(map, 0)).toBeUndefined();
    expect(fileLeftOpen(map, map[0]!.firstByte + 1)).toBe('/w/d/a.qcow2');
    expect(fileLeftOpen(map, map[1]!.firstByte + 1)).toBeUndefined();
    expect(fileLeftOpen(map, 1024 * KiB)).toBe('/w/d/empty');
  });
});

describe('a virtual folder', () => {
  it('lists its own entries in the order they were made, a folder holding files as a directory', () => {
    const storage = createVirtualStorage({ '/w/d/b.img': { size: 4096 }, '/w/d/x/y.img': {}, '/w/e.img': {} });
    storage.mkdir('/w/d/z');
    expect(storage.listDirectory?.('/w/d')).toEqual([
      { name: 'b.img', size: 4096, directory: false },
      { name: 'x', size: 0, directory: true },
      { name: 'z', size: 0, directory: true },
    ]);
    expect(storage.listDirectory?.('/w/none')).toEqual([]);
  });
});
