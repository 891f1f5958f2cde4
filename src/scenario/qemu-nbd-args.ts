/**
 * qemu-nbd's command line (qemu-nbd.c, QEMU 7.2), read as the NBD server it starts: where it
 * listens (`-k` a socket, else TCP on `-b`/`-p`), the image it serves and how (`-f`, `-r`, `-x`),
 * how many clients at once (`-e`) and whether it stays after the last one (`-t`). Options that do
 * not change what a client meets are taken and left aside.
 */
import type { NbdAddress } from '../drivers/nbd-server.js';
import { isImageFormat } from '../storage/storage.js';
import type { VirtualNbdServer } from '../storage/virtual-storage.js';

const NBD_DEFAULT_PORT = '10809';

/** Options with a value, by every name they go by. */
const VALUED: Readonly<Record<string, string>> = {
  '-p': 'port', '--port': 'port', '-b': 'bind', '--bind': 'bind', '-k': 'socket', '--socket': 'socket',
  '-e': 'shared', '--shared': 'shared', '-x': 'export-name', '--export-name': 'export-name',
  '-f': 'format', '--format': 'format', '-B': 'bitmap', '--bitmap': 'bitmap', '-D': 'description',
  '--description': 'description', '-o': 'offset', '--offset': 'offset', '-s': 'snapshot', '-l': 'load-snapshot',
  '--load-snapshot': 'load-snapshot', '--cache': 'cache', '--aio': 'aio', '--discard': 'discard',
  '--detect-zeroes': 'detect-zeroes', '--object': 'object', '--tls-creds': 'tls-creds', '--tls-authz': 'tls-authz',
  '--pid-file': 'pid-file', '-T': 'trace', '--trace': 'trace', '--handshake-limit': 'handshake-limit',
};

/** Switches, by every name they go by. */
const SWITCHES: Readonly<Record<string, string>> = {
  '-t': 'persistent', '--persistent': 'persistent', '-r': 'read-only', '--read-only': 'read-only',
  '-A': 'allocation-depth', '--allocation-depth': 'allocation-depth', '--fork': 'fork', '-v': 'verbose',
  '--verbose': 'verbose', '-n': 'nocache', '--nocache': 'nocache', '--image-opts': 'image-opts',
  '--snapshot': 'snapshot',
};

/** The server a qemu-nbd command line starts; a message saying what is wrong with it otherwise. */
export function parseQemuNbd(args: readonly string[]): VirtualNbdServer | string {
  const values = new Map<string, string>();
  const bitmaps: string[] = [];
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (VALUED[flag]) {
      const value = inline ?? args[++i];
      if (value === undefined) return `qemu-nbd: option '${flag}' requires an argument`;
      if (VALUED[flag] === 'bitmap') bitmaps.push(value);
      else values.set(VALUED[flag], value);
    } else if (SWITCHES[flag]) {
      switches.add(SWITCHES[flag]);
    } else if (arg.startsWith('-') && arg !== '-') {
      return `qemu-nbd: option '${arg}' cannot be simulated`;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return `qemu-nbd: ${positional.length ? 'one image only' : 'an image is needed'} (got ${positional.length})`;
  const format = values.get('format');
  if (format !== undefined && !isImageFormat(format)) return `qemu-nbd: only raw and qcow2 images can be simulated, not '${format}'`;
  const shared = values.get('shared') ?? '1';
  if (!/^\d+$/.test(shared)) return `qemu-nbd: Invalid shared device number '${shared}'`;
  const socket = values.get('socket');
  const address: NbdAddress = socket !== undefined
    ? { type: 'unix', path: socket }
    : { type: 'inet', host: values.get('bind') ?? '0.0.0.0', port: values.get('port') ?? NBD_DEFAULT_PORT };
  return {
    address,
    image: positional[0]!,
    ...(format !== undefined ? { format } : {}),
    exportName: values.get('export-name') ?? '',
    readOnly: switches.has('read-only'),
    persistent: switches.has('persistent'),
    // -e 0: no limit
    maxClients: Number(shared) || Number.MAX_SAFE_INTEGER,
    contexts: ['base:allocation', ...(switches.has('allocation-depth') ? ['qemu:allocation-depth'] : []), ...bitmaps.map((b) => `qemu:dirty-bitmap:${b}`)],
  };
}

/**
 * The address a server was started at, as a `qemu-nbd-stop` step names it: its socket path, or
 * `HOST:PORT` / `:PORT` for a TCP server.
 */
export function stopAddress(text: string): NbdAddress {
  const tcp = /^(.*):(\d+)$/.exec(text);
  return tcp && !text.includes('/') ? { type: 'inet', host: tcp[1] || '0.0.0.0', port: tcp[2]! } : { type: 'unix', path: text };
}
