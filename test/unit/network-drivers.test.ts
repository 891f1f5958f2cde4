/**
 * The drivers that need a server (src/drivers/network.ts) and vvfat (src/drivers/vvfat.ts) where
 * the corpus says too little: hosts permgraph cannot answer for, the order of the checks, and
 * QEMU 10.0's block modules as the daemon here loads them (src/commands/block-modules.ts).
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage } from '../../src/index.js';
import { hostAnswer, portNumber } from '../../src/drivers/network-hosts.js';
import { vvfatSectors } from '../../src/drivers/vvfat.js';

const add = (args: Record<string, unknown>) => ({ execute: 'blockdev-add', arguments: { 'node-name': 'n', ...args } });
const desc = (reply: unknown): string => (reply as { error?: { desc: string } }).error?.desc ?? 'ok';

describe('hosts', () => {
  it('127.0.0.1 refuses, a name in .invalid is not resolved, any other host is not told', () => {
    expect(hostAnswer('127.0.0.1')).toBe('refused');
    expect(hostAnswer('localhost')).toBeNull();
    expect(hostAnswer('localhost', ['127.0.0.1', 'localhost'])).toBe('refused');
    expect(hostAnswer('h.INVALID')).toBe('unresolved');
    expect(hostAnswer('example.com')).toBeNull();
    expect([portNumber('1'), portNumber('65535'), portNumber('0'), portNumber('65536'), portNumber('x')]).toEqual([1, 65535, null, null, null]);
  });

  it('answers in permgraph words for a host it cannot tell, after the checks that come first', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage({}) });
    expect(desc(pg.execute(add({ driver: 'ssh', path: '/w/x', server: { host: 'example.com', port: '22' } })))).toBe("Driver 'ssh' with host 'example.com' is not simulated by permgraph");
    expect(desc(pg.execute(add({ driver: 'ssh', path: '/w/x', server: { host: 'example.com', port: 'x' } })))).toBe('Use only numeric port value');
    // curl's read-only check comes before everything else
    expect(desc(pg.execute(add({ driver: 'http', url: 'http://example.com/x', readahead: 100 })))).toBe('curl driver does not support writes');
    expect(desc(pg.execute(add({ driver: 'http', url: 'http://example.com/x', 'read-only': true })))).toBe("Driver 'http' with host 'example.com' is not simulated by permgraph");
    // the node's own checks come first: force-share, its name
    expect(desc(pg.execute(add({ driver: 'nvme', device: 'x', namespace: 1, 'force-share': true })))).toBe('force-share=on can only be used with read-only images');
    expect(desc(pg.execute(add({ driver: 'nvme', device: 'x', namespace: 1, 'node-name': '1n' })))).toBe("Invalid node-name: '1n'");
    expect(pg.graph.nodes).toEqual(createPermgraph({ model: 'qemu-7.2' }).graph.nodes);
    pg.dispose();
  });

  it('a secret is looked up as QEMU does', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage({}) });
    pg.execute({ execute: 'object-add', arguments: { 'qom-type': 'secret', id: 's0', data: 'x' } });
    pg.execute({ execute: 'object-add', arguments: { 'qom-type': 'throttle-group', id: 't0' } });
    const iscsi = (secret: string) => add({ driver: 'iscsi', transport: 'tcp', portal: '127.0.0.1', target: 't', user: 'u', 'password-secret': secret });
    expect(desc(pg.execute(iscsi('t0')))).toBe("Object with id 't0' is not a secret");
    expect(desc(pg.execute(iscsi('s0')))).toBe('iSCSI: Failed to connect to LUN : iscsi_service failed with : iscsi_service_reconnect_if_loggedin. Can not reconnect right now.\n');
    pg.dispose();
  });
});

describe('both QEMU versions', () => {
  it('answer each network driver alike, however many modules were loaded before', () => {
    for (const model of ['qemu-7.2', 'qemu-10.0'] as const) {
      const pg = createPermgraph({ model, storage: createVirtualStorage({}) });
      for (let i = 0; i < 2; i++) {
        expect(desc(pg.execute(add({ driver: 'rbd', pool: 'p', image: 'i' })))).toBe('error connecting: No such file or directory');
        expect(desc(pg.execute(add({ driver: 'ssh', path: '/w/x', server: { host: '127.0.0.1', port: '1' } })))).toBe("Failed to connect to '127.0.0.1:1': Connection refused");
      }
      pg.dispose();
    }
  });
});

describe('vvfat', () => {
  it('has the geometry of vvfat_open()', () => {
    expect([vvfatSectors(0, false), vvfatSectors(12, false), vvfatSectors(32, false)].map((s) => s * 512)).toEqual([528482304, 33030144, 528482304]);
    expect([vvfatSectors(0, true), vvfatSectors(12, true), vvfatSectors(16, true)].map((s) => s * 512)).toEqual([2949120, 1474560, 2949120]);
  });

  it('rw on a node opened read-write is refused in permgraph words; the directory is one the storage holds', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage({ '/w/d/a.img': { format: 'raw', size: 1 << 20 } }) });
    expect(desc(pg.execute(add({ driver: 'vvfat', dir: '/w/d', rw: true })))).toBe("vvfat's write target (rw on a node opened read-write) is not simulated by permgraph");
    expect(desc(pg.execute(add({ driver: 'vvfat', dir: '/w/e', 'read-only': true })))).toBe('Could not read directory /w/e');
    expect(desc(pg.execute(add({ driver: 'vvfat', dir: '/w/d', 'auto-read-only': true })))).toBe('ok');
    expect(pg.graph.nodes).not.toEqual(createPermgraph({ model: 'qemu-7.2' }).graph.nodes);
    pg.dispose();
  });
});
