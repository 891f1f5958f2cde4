/**
 * Guest writes into a qcow2 image: the clusters a write allocates and where in the file it ends
 * (measured on qemu-storage-daemon 7.2 and 10.0.2 as a backup's first task: corpus
 * job-backup-bitmaps-and-writes).
 */
import { describe, expect, it } from 'vitest';
import { writeGuestRange } from '../../src/drivers/qcow2-guest-writes.js';
import { QCOW2_DEFAULTS } from '../../src/graph/node-header.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const empty = { ...QCOW2_DEFAULTS, layout: [] };

describe('a guest write into a qcow2 image', () => {
  it('of data: the L2 table, then the clusters in one run; the file written up to the last', () => {
    const { facts, wroteFile } = writeGuestRange(empty, 0, 512 * KiB, true);
    expect(facts.layout).toEqual([{ l2: 0 }, ...Array.from({ length: 8 }, (_, i) => ({ data: i }))]);
    expect(wroteFile).toBe(851968);
  });

  it('of zeroes: the L2 table only', () => {
    const { facts, wroteFile } = writeGuestRange(empty, 0, MiB, false);
    expect(facts.layout).toEqual([{ l2: 0 }]);
    expect(wroteFile).toBe(327680);
  });

  it('after an earlier write: only the clusters not yet allocated, its table written again', () => {
    const first = writeGuestRange(empty, 0, MiB, true).facts;
    const { facts, wroteFile } = writeGuestRange(first, 0, 3 * MiB, true);
    expect(facts.layout).toHaveLength(1 + 48);
    expect(wroteFile).toBe(3473408);
    expect(writeGuestRange(facts, 3 * MiB, 4 * MiB, false)).toEqual({ facts, wroteFile: 327680 });
  });
});
