/** Arguments checked as QEMU's QAPI visitors do: every text below was seen from qemu-storage-daemon 7.2. */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage } from '../../src/index.js';

const SEEN: [string, Record<string, unknown>, string][] = [
  ['blockdev-add', { driver: 'file', 'node-name': 'f' }, "Parameter 'filename' is missing"],
  ['blockdev-add', { driver: 'file', 'node-name': 'f', filename: 'x', 'read-only': 'yes' }, "Invalid parameter type for 'read-only', expected: boolean"],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 5 }, "Invalid parameter type for 'file', expected: BlockdevRef"],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file' } }, "Parameter 'file.filename' is missing"],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: '/x', bogus: 1 } }, "Parameter 'file.bogus' is unexpected"],
  ['blockdev-add', { 'node-name': 'q' }, "Parameter 'driver' is missing"],
  ['blockdev-add', { driver: 'nope' }, "Parameter 'driver' does not accept value 'nope'"],
  ['blockdev-add', { driver: 'file', filename: 'x', zzz: 1, 'node-name': 'n' }, "Parameter 'zzz' is unexpected"],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n', size: 'big' }, "Invalid parameter type for 'size', expected: integer"],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n', 'latency-ns': 'big' }, "Parameter 'latency-ns' expects uint64"],
  ['blockdev-reopen', { options: [{ driver: 'file', 'node-name': 'x', filename: 7 }] }, "Invalid parameter type for 'options[0].filename', expected: string"],
  ['blockdev-reopen', { options: {} }, "Invalid parameter type for 'options', expected: array"],
  ['blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'f0', filename: 'a' }] }, "Parameter 'options[0].file' is missing"],
  ['block-export-add', { type: 'nbd', id: 'e', 'node-name': 'x', bitmaps: [1] }, "Invalid parameter type for 'null', expected: BlockDirtyBitmapOrStr"],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'nosuch' }, "Cannot find device='nosuch' nor node-name='nosuch'"],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'x', backing: 5 }, "Invalid parameter type for 'backing', expected: BlockdevRefOrNull"],
  ['nbd-server-start', { addr: { type: 'unix' } }, "Parameter 'addr.data' is missing"],
  ['query-version', { pad: 'x' }, "Parameter 'pad' is unexpected"],
];

describe('QAPI argument checks', () => {
  it.each(SEEN)('%s %j', (execute, args, desc) => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage() });
    expect(pg.execute({ execute, arguments: args })).toEqual({ error: { class: 'GenericError', desc } });
  });
});
