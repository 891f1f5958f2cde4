/**
 * The driver table (src/drivers/registry.ts): one file per driver, entries that agree with
 * themselves and with BlockdevOptions, and the sets the core derives from the table, which must
 * stay what QEMU 7.2's drivers say.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockdevOptions } from '../../src/drivers/blockdev-options.js';
import {
  BACKING_DRIVERS,
  DRIVERS,
  FILTER_DRIVERS,
  QAPI_ONLY_VARIANTS,
  SIMULATED_DRIVERS,
  UNREOPENABLE_DRIVERS,
} from '../../src/drivers/registry.js';
import type { BlockDriver } from '../../src/drivers/driver.js';
import type { Member } from '../../src/qapi/schema.js';
import { BLOCKDEV_DRIVERS } from '../../src/qapi/block-schema.js';
import { createPermgraph, createVirtualStorage } from '../../src/index.js';

const DRIVERS_DIR = resolve(import.meta.dirname, '../../src/drivers');
const entries = Object.entries(DRIVERS) as [string, BlockDriver][];
/** A driver's own file: its name, with `_` as `-` (commit_top → commit-top.ts). */
const stemOf = (name: string): string => name.replace(/_/g, '-');

const variants = (): Readonly<Record<string, readonly Member[]>> => {
  if (blockdevOptions.kind !== 'union') throw new Error('BlockdevOptions is no union');
  return blockdevOptions.variants;
};
const memberNames = (name: string): string[] => (variants()[name] ?? []).map((m) => m.name);

describe('every driver has a file of its own', () => {
  it.each(entries)('%s', async (name, driver) => {
    expect(driver.name).toBe(name);
    const path = resolve(DRIVERS_DIR, `${stemOf(name)}.ts`);
    expect(existsSync(path)).toBe(true);
    const module = (await import(/* @vite-ignore */ pathToFileURL(path).href)) as Record<string, unknown>;
    expect(Object.values(module)).toContain(driver);
  });
});

describe('every entry agrees with itself', () => {
  it.each(entries)('%s', (name, driver) => {
    // only file-posix (file, host_device, host_cdrom) holds a descriptor, and a protocol driver has no child to ask anything of
    expect(driver.holdsFd).toBe(['file', 'host_device', 'host_cdrom'].includes(name));
    if (driver.holdsFd) expect(driver.childPerm).toBeUndefined();
    // a filter asks something of the child it filters, and names no file of its own
    if (driver.isFilter) {
      expect(driver.childPerm).toBeDefined();
      expect(driver.exactFilename).toBeUndefined();
      expect(driver.supportsBacking).toBe(false);
    }
    // an exact filename is a protocol driver's: no children
    if (driver.exactFilename) expect(driver.childPerm).toBeUndefined();
    // what blockdev-add can open it can name: a simulated driver has its QAPI variant
    if (driver.open) expect(driver.members).toBeDefined();
    if (driver.refreshesFilename) expect(driver.childPerm).toBeDefined();
    if (driver.passesHeader) expect(driver.isFilter).toBe(false);
  });

  it.each(entries.filter(([, driver]) => driver.members))('%s: its reopen and strong options are members of its own', (name, driver) => {
    const members = memberNames(name);
    for (const key of driver.reopen ?? []) expect(members).toContain(key);
    // `server.` names every member below `server`
    for (const key of driver.strongOptions ?? []) expect(members).toContain(key.replace(/\.$/, ''));
    // parallels sets supports_backing, but its variant (BlockdevOptionsGenericFormat) has no backing
    if (driver.supportsBacking && name !== 'parallels') expect(members).toContain('backing');
    // a driver with children names the first it opens among its members (blkdebug `image`, blkverify `test`/`raw`, quorum `children`)
    if (driver.childPerm) expect(members.filter((m) => ['file', 'image', 'raw', 'children'].includes(m))).not.toEqual([]);
  });
});

describe('BlockdevOptions', () => {
  it('has a variant for every simulated driver and for the QAPI-only ones, all of them BlockdevDriver values', () => {
    expect(Object.keys(variants()).sort()).toEqual([...SIMULATED_DRIVERS, ...Object.keys(QAPI_ONLY_VARIANTS)].sort());
    for (const name of Object.keys(variants())) expect(BLOCKDEV_DRIVERS).toContain(name);
    // QAPI-only: no driver of the table opens one (copy-before-write is in it, but only a backup job makes one)
    for (const name of Object.keys(QAPI_ONLY_VARIANTS)) expect(SIMULATED_DRIVERS).not.toContain(name);
    for (const name of Object.keys(QAPI_ONLY_VARIANTS)) if (Object.keys(DRIVERS).includes(name)) expect(DRIVERS[name as keyof typeof DRIVERS].members).toBeUndefined();
  });

  it("keeps each variant's members in QEMU's order (it decides which error comes first)", () => {
    // the simulated ones; every variant's order is held against the daemons' schemas by test/introspect.test.ts
    expect(Object.fromEntries(Object.keys(variants()).map((name) => [name, memberNames(name)]))).toMatchObject({
      file: ['filename', 'pr-manager', 'locking', 'aio', 'aio-max-batch', 'drop-cache', 'x-check-cache-dropped'],
      'null-co': ['size', 'latency-ns', 'read-zeroes'],
      'null-aio': ['size', 'latency-ns', 'read-zeroes'],
      raw: ['file', 'offset', 'size'],
      qcow2: [
        'file', 'backing', 'lazy-refcounts', 'pass-discard-request', 'pass-discard-snapshot', 'pass-discard-other', 'discard-no-unref',
        'overlap-check', 'cache-size', 'l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size',
        'cache-clean-interval', 'encrypt', 'data-file',
      ],
      throttle: ['throttle-group', 'file'],
      'copy-on-read': ['file', 'bottom'],
      nbd: ['server', 'export', 'tls-creds', 'tls-hostname', 'x-dirty-bitmap', 'reconnect-delay', 'open-timeout'],
      preallocate: ['file', 'prealloc-align', 'prealloc-size'],
      compress: ['file'],
      'snapshot-access': ['file'],
      replication: ['file', 'mode', 'top-id'],
      host_device: ['filename', 'pr-manager', 'locking', 'aio', 'aio-max-batch', 'drop-cache', 'x-check-cache-dropped'],
      host_cdrom: ['filename', 'pr-manager', 'locking', 'aio', 'aio-max-batch', 'drop-cache', 'x-check-cache-dropped'],
      blkdebug: [
        'image', 'config', 'align', 'max-transfer', 'opt-write-zero', 'max-write-zero', 'opt-discard', 'max-discard',
        'inject-error', 'set-state', 'take-child-perms', 'unshare-child-perms',
      ],
      blklogwrites: ['file', 'log', 'log-sector-size', 'log-append', 'log-super-update-interval'],
      blkverify: ['test', 'raw'],
      quorum: ['blkverify', 'children', 'vote-threshold', 'rewrite-corrupted', 'read-pattern'],
      luks: ['file', 'key-secret', 'header'],
      qcow: ['file', 'backing', 'encrypt'],
      ...Object.fromEntries(['qed', 'vmdk'].map((name) => [name, ['file', 'backing']])),
      ...Object.fromEntries(['vpc', 'vhdx', 'vdi', 'parallels', 'bochs', 'cloop', 'dmg'].map((name) => [name, ['file']])),
    });
  });

  it('a QAPI-only driver passes the checks and is then refused', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage({}) });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'blkreplay', 'node-name': 'n' } })).toEqual({
      error: { class: 'GenericError', desc: "Parameter 'image' is missing" },
    });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'blkreplay', 'node-name': 'n', image: 'x' } })).toEqual({
      error: { class: 'GenericError', desc: `Driver 'blkreplay' is not simulated by permgraph (simulated: ${SIMULATED_DRIVERS.join(', ')})` },
    });
  });
});

describe('the sets derived from the table', () => {
  it('are QEMU 7.2\'s', () => {
    expect([...FILTER_DRIVERS]).toEqual(['throttle', 'copy-on-read', 'commit_top', 'mirror_top', 'copy-before-write', 'preallocate', 'compress', 'replication', 'blkdebug', 'blklogwrites', 'blkverify']);
    expect([...UNREOPENABLE_DRIVERS]).toEqual([
      'copy-on-read', 'commit_top', 'mirror_top', 'copy-before-write', 'compress', 'snapshot-access', 'replication', 'blklogwrites', 'blkverify', 'quorum', 'parallels', 'bochs', 'cloop', 'dmg', 'vvfat',
    ]);
    expect([...BACKING_DRIVERS]).toEqual(['qcow2', 'qcow', 'qed', 'vmdk', 'parallels']);
    expect(SIMULATED_DRIVERS).toEqual([
      'file', 'null-co', 'raw', 'qcow2', 'throttle', 'copy-on-read', 'nbd',
      'null-aio', 'preallocate', 'compress', 'snapshot-access', 'replication', 'host_device', 'host_cdrom',
      'blkdebug', 'blklogwrites', 'blkverify', 'quorum',
      'luks', 'qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'bochs', 'cloop', 'dmg', 'vvfat',
    ]);
  });

  it('and so are the filename rules', () => {
    const named = (test: (driver: BlockDriver) => boolean): string[] => entries.filter(([, d]) => test(d)).map(([n]) => n);
    expect(named((d) => d.exactFilename !== undefined)).toEqual(['file', 'null-co', 'nbd', 'null-aio', 'host_device', 'host_cdrom']);
    expect(named((d) => d.isFilter && !d.refreshesFilename)).toEqual(['throttle', 'copy-on-read', 'preallocate', 'compress', 'replication', 'blklogwrites']);
    expect(Object.fromEntries(entries.filter(([, d]) => d.strongOptions).map(([n, d]) => [n, d.strongOptions]))).toEqual({
      file: ['filename'],
      'null-co': ['size', 'read-zeroes'],
      raw: ['offset', 'size'],
      throttle: ['throttle-group'],
      nbd: ['export', 'tls-creds', 'tls-hostname', 'server.'],
      'null-aio': ['size', 'read-zeroes'],
      replication: ['mode', 'top-id'],
      host_device: ['filename'],
      host_cdrom: ['filename'],
      blkdebug: ['config', 'inject-error.', 'set-state.', 'align', 'max-transfer', 'opt-write-zero', 'max-write-zero', 'opt-discard', 'max-discard'],
      blklogwrites: ['log-append', 'log-sector-size'],
      quorum: ['vote-threshold', 'blkverify', 'rewrite-corrupted', 'read-pattern'],
      luks: ['key-secret'],
      vvfat: ['dir', 'fat-type', 'floppy', 'label', 'rw'],
    });
    expect(Object.fromEntries(entries.map(([n, d]) => [n, d.reopen]))).toEqual({
      file: ['x-check-cache-dropped', 'drop-cache'],
      'null-co': [],
      raw: ['offset', 'size'],
      qcow2: [
        'lazy-refcounts', 'pass-discard-request', 'pass-discard-snapshot', 'pass-discard-other', 'discard-no-unref',
        'overlap-check', 'cache-size', 'l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size',
        'cache-clean-interval',
      ],
      throttle: ['throttle-group'],
      'copy-on-read': null,
      commit_top: null,
      mirror_top: null,
      'copy-before-write': null,
      nbd: [],
      'null-aio': [],
      preallocate: [],
      compress: null,
      'snapshot-access': null,
      replication: null,
      host_device: ['x-check-cache-dropped', 'drop-cache'],
      host_cdrom: ['x-check-cache-dropped', 'drop-cache'],
      blkdebug: [],
      blklogwrites: null,
      blkverify: null,
      quorum: null,
      ...Object.fromEntries(['luks', 'qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi'].map((name) => [name, []])),
      ...Object.fromEntries(['parallels', 'bochs', 'cloop', 'dmg', 'vvfat'].map((name) => [name, null])),
    });
  });
});
