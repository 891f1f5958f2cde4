/**
 * Where persistent bitmaps lie in a qcow2 image (src/drivers/qcow2-bitmaps.ts), against the file
 * lengths QEMU 7.2 and 10.0.2 left (corpus: bitmaps-persistent-qcow2, a 1 MiB image: header,
 * refcount table and block, L1 table, then the bitmaps' clusters).
 */
import { describe, expect, it } from 'vitest';
import { directoryBytes, directoryEnd, writeBitmapDirectory } from '../../src/drivers/qcow2-bitmaps.js';
import { QCOW2_DEFAULTS, type Qcow2Facts } from '../../src/graph/node-header.js';

const CLUSTER = 65536;
const MiB = 1024 * 1024;
const empty: Qcow2Facts = { ...QCOW2_DEFAULTS, layout: [] };
const bitmap = (name: string, granularity = 65536) => ({ name, granularity, auto: true });

describe('persistent bitmaps in a qcow2 image', () => {
  it('a directory entry is 24 bytes and the name, rounded up to 8', () => {
    expect(directoryBytes([bitmap('b3'), bitmap('b2')])).toBe(64);
    expect(directoryBytes([bitmap('a-longer-name')])).toBe(40);
  });

  it('storing two: a table each in directory order, then the directory; the file ends in the directory cluster', () => {
    const stored = writeBitmapDirectory(empty, [bitmap('b3'), bitmap('b2', 512)], new Set(['b3', 'b2']), MiB);
    expect(stored.list.map((b) => b.table)).toEqual([[0], [1]]);
    expect(stored.facts.layout).toEqual([{ bitmap: 'table' }, { bitmap: 'table' }, { bitmap: 'directory' }]);
    // 6 clusters and the directory's 64 bytes: 393,728 bytes in whole sectors, as the daemons left it
    expect(Math.ceil(stored.wroteFile / 512) * 512).toBe(393_728);
  });

  it('removing one writes a new directory, then frees the old one and the table', () => {
    const stored = writeBitmapDirectory(empty, [bitmap('b3'), bitmap('b2', 512)], new Set(['b3', 'b2']), MiB);
    const removed = writeBitmapDirectory(stored.facts, stored.list.filter((b) => b.name !== 'b3'), new Set(), MiB);
    expect(removed.facts.layout).toEqual([null, { bitmap: 'table' }, null, { bitmap: 'directory' }]);
    expect(Math.ceil(removed.wroteFile / 512) * 512).toBe(459_264);
    // stored again: its new table and the directory fill the holes, and the file keeps its length
    const again = writeBitmapDirectory(removed.facts, removed.list, new Set(['b2']), MiB);
    expect(again.facts.layout).toEqual([{ bitmap: 'table' }, null, { bitmap: 'directory' }, null]);
    expect(directoryEnd(again.facts, again.list)).toBe((4 + 2) * CLUSTER + 32);
  });

  it('an empty directory takes no cluster; an image whose clusters are not known keeps its list only', () => {
    const stored = writeBitmapDirectory(empty, [bitmap('b1')], new Set(['b1']), MiB);
    const none = writeBitmapDirectory(stored.facts, [], new Set(), MiB);
    expect(none.facts.layout).toEqual([null, null]);
    expect(writeBitmapDirectory(QCOW2_DEFAULTS, [bitmap('b1')], new Set(['b1']), MiB)).toMatchObject({ wroteFile: 0, list: [bitmap('b1')] });
  });
});
