/**
 * Character devices: the /chardevs container's GHashTable order against what qemu-storage-daemon
 * 7.2 and 10.0.2 answered (recorded by hand with query-chardev), GLib's base64, a chardev's ring
 * kept across block-graph transactions, and guest devices only where the system emulator is
 * simulated.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Model } from '../../src/index.js';
import { emptyGHashTable, insertKey, keysInOrder, removeKey, type GHashTable } from '../../src/util/ghash.js';
import { base64Encode, glibBase64Decode } from '../../src/util/c-string.js';

const inserted = (keys: readonly string[], table: GHashTable = emptyGHashTable()): GHashTable => keys.reduce(insertKey, table);
/** query-chardev's order: the table's, backwards. */
const listed = (table: GHashTable): string[] => keysInOrder(table).reverse();

describe('the GHashTable order of QOM children', () => {
  it('is the order query-chardev gave for eight chardevs added in this order', () => {
    const table = inserted(['mon0', 'r0', 'm0', 'n0', '0x', 'f0', 'p0', 's0']);
    expect(listed(table)).toEqual(['mon0', 'm0', 'n0', 'p0', 'f0', '0x', 'r0', 's0']);
  });

  it('keeps a key removed and added again in its place, as after chardev-remove n0 and chardev-change r0', () => {
    const table = inserted(['r0'], removeKey(removeKey(inserted(['mon0', 'r0', 'm0', 'n0', '0x', 'f0', 'p0', 's0']), 'n0'), 'r0'));
    expect(listed(table)).toEqual(['mon0', 'm0', 'p0', 'f0', '0x', 'r0', 's0']);
  });

  it('holds every key through growing and shrinking', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const full = inserted(keys);
    expect([...keysInOrder(full)].sort()).toEqual([...keys].sort());
    const few = keys.slice(0, 95).reduce(removeKey, full);
    expect([...keysInOrder(few)].sort()).toEqual(keys.slice(95).sort());
    expect(few.slots.length).toBeLessThan(full.slots.length);
  });
});

describe('GLib base64', () => {
  it('decodes leniently, as the daemon did', () => {
    expect(glibBase64Decode('aGVsbG8=')).toEqual([...Buffer.from('hello')]);
    expect(base64Encode(glibBase64Decode('QUJD\nRA'))).toBe('QUJD');
    expect(base64Encode(glibBase64Decode('=QUJD'))).toBe('AQUJ');
    expect(glibBase64Decode('w/8=')).toEqual([0xc3, 0xff]);
  });
});

const runtime = (model: Model) => {
  const pg = createPermgraph({ model, storage: createVirtualStorage({ '/i/a.img': { format: 'raw', size: 1 << 20 } }), nodeActors: false, monitors: [{ id: 'qmp0', path: '/s/qmp.sock' }] });
  return (execute: string, args?: Record<string, unknown>) => pg.execute(args ? { execute, arguments: args } : { execute });
};

describe('chardevs in the snapshot', () => {
  it('a ring keeps its bytes through block-graph transactions', () => {
    const run = runtime('qemu-7.2');
    expect(run('chardev-add', { id: 'r', backend: { type: 'ringbuf', data: { size: 4 } } })).toEqual({ return: {} });
    expect(run('ringbuf-write', { device: 'r', data: 'abcdef' })).toEqual({ return: {} });
    expect(run('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/a.img' })).toEqual({ return: {} });
    expect(run('ringbuf-read', { device: 'r', size: 3 })).toEqual({ return: 'cde' });
    expect(run('query-chardev')).toEqual({
      return: [
        { label: 'qmp0', filename: 'unix:/s/qmp.sock,server=on', 'frontend-open': true },
        { label: 'r', filename: 'ringbuf', 'frontend-open': false },
      ],
    });
  });
});

describe('guest devices', () => {
  it.each(['qemu-7.2', 'qemu-10.0'] as const)('are no commands of the daemon (%s)', (model) => {
    const run = runtime(model);
    expect(run('device_add', { driver: 'virtio-blk', drive: 'x' })).toEqual({ error: { class: 'CommandNotFound', desc: 'The command device_add has not been found' } });
    expect(run('device_del', { id: 'x' })).toEqual({ error: { class: 'CommandNotFound', desc: 'The command device_del has not been found' } });
  });

  it('are there in model dynamic, which simulates the system emulator', () => {
    const run = runtime('dynamic');
    expect(run('blockdev-add', { driver: 'file', 'node-name': 'f', filename: '/i/a.img' })).toEqual({ return: {} });
    expect(run('device_add', { driver: 'virtio-blk', id: 'vda', drive: 'f' })).toEqual({ return: {} });
    expect(run('device_del', { id: 'vda' })).toEqual({ return: {} });
  });
});
