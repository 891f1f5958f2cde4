/** The NBD servers a scenario starts, read off their command lines: qemu-nbd's and a second daemon's. */
import { describe, expect, it } from 'vitest';
import { parseQemuNbd, stopAddress } from '../../src/scenario/qemu-nbd-args.js';
import { parseQsdServer } from '../../src/scenario/qsd-server-args.js';

describe('qemu-nbd', () => {
  it('reads the address, the image, the export and its limits', () => {
    expect(parseQemuNbd(['-r', '-t', '-e', '4', '-f', 'raw', '-x', 'disk', '-k', '/w/s.sock', '/w/a.img'])).toEqual({
      address: { type: 'unix', path: '/w/s.sock' }, image: '/w/a.img', format: 'raw', exportName: 'disk', readOnly: true,
      persistent: true, maxClients: 4, contexts: ['base:allocation'],
    });
  });

  it('has qemu-nbd defaults: TCP on every address at 10809, the empty name, one client, gone after it', () => {
    expect(parseQemuNbd(['/w/a.img'])).toEqual({
      address: { type: 'inet', host: '0.0.0.0', port: '10809' }, image: '/w/a.img', exportName: '', readOnly: false,
      persistent: false, maxClients: 1, contexts: ['base:allocation'],
    });
  });

  it('takes long options with = and their meta contexts; -e 0 is no limit', () => {
    const server = parseQemuNbd(['--read-only', '--shared=0', '--socket=/w/s', '--allocation-depth', '--bitmap=b0', '--format=qcow2', '/w/q']);
    expect(server).toMatchObject({ readOnly: true, maxClients: Number.MAX_SAFE_INTEGER, format: 'qcow2', contexts: ['base:allocation', 'qemu:allocation-depth', 'qemu:dirty-bitmap:b0'] });
  });

  it('says what it cannot simulate', () => {
    expect(parseQemuNbd(['-c', '/dev/nbd0', '/w/a.img'])).toBe("qemu-nbd: option '-c' cannot be simulated");
    expect(parseQemuNbd(['-f', 'vmdk', '/w/a.img'])).toBe("qemu-nbd: only raw and qcow2 images can be simulated, not 'vmdk'");
    expect(parseQemuNbd(['-k'])).toBe("qemu-nbd: option '-k' requires an argument");
    expect(parseQemuNbd(['-e', 'x', '/a'])).toBe("qemu-nbd: Invalid shared device number 'x'");
    expect(parseQemuNbd(['/a', '/b'])).toBe('qemu-nbd: one image only (got 2)');
  });

  it('names a server to stop by its socket, or HOST:PORT / :PORT', () => {
    expect(stopAddress('/w/s.sock')).toEqual({ type: 'unix', path: '/w/s.sock' });
    expect(stopAddress('127.0.0.1:10877')).toEqual({ type: 'inet', host: '127.0.0.1', port: '10877' });
    expect(stopAddress(':10809')).toEqual({ type: 'inet', host: '0.0.0.0', port: '10809' });
  });
});

describe('a second qemu-storage-daemon', () => {
  const args = ['--blockdev', 'driver=file,node-name=f,filename=/w/a.img', '--blockdev', 'driver=raw,node-name=r,file=f', '--nbd-server', 'addr.type=unix,addr.path=/w/d.sock'];

  it('serves its export of a node, named after the node and read-only unless told', () => {
    expect(parseQsdServer([...args, '--export', 'type=nbd,id=e,node-name=r'])).toEqual({
      address: { type: 'unix', path: '/w/d.sock' }, image: '/w/a.img', format: 'raw', exportName: 'r', readOnly: true,
      nodeReadOnly: false, persistent: true, maxClients: Number.MAX_SAFE_INTEGER, contexts: ['base:allocation'],
    });
  });

  it('takes JSON options and inline children', () => {
    const server = parseQsdServer([
      '--blockdev', '{"driver": "qcow2", "node-name": "q", "read-only": true, "file": {"driver": "file", "filename": "/w/q.qcow2"}}',
      '--nbd-server', '{"addr": {"type": "inet", "data": {"host": "127.0.0.1", "port": "10900"}}}',
      '--export', 'type=nbd,id=e,node-name=q,name=disk,writable=on',
    ]);
    expect(server).toMatchObject({ address: { type: 'inet', host: '127.0.0.1', port: '10900' }, image: '/w/q.qcow2', format: 'qcow2', exportName: 'disk', readOnly: false, nodeReadOnly: true });
  });

  it('says what it cannot simulate', () => {
    expect(parseQsdServer([...args])).toBe('qemu-storage-daemon: one --nbd-server and one --export can be simulated');
    expect(parseQsdServer(['--chardev', 'x'])).toBe("qemu-storage-daemon: option '--chardev' cannot be simulated");
    expect(parseQsdServer([...args, '--export', 'type=nbd,id=e,node-name=zz'])).toBe("qemu-storage-daemon: --export of a node no --blockdev made: 'zz'");
    expect(parseQsdServer(['--blockdev', 'oops'])).toBe("qemu-storage-daemon: --blockdev: Expected '=' after parameter 'oops'");
  });
});
