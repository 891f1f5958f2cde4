/**
 * A chardev's open step as qemu-storage-daemon does it (chardev/char.c chardev_new() and the
 * backends' .open): what it would be, or the error its open gives. permgraph simulates the
 * backends whose outcome does not depend on the outside world (null, ringbuf, memory, file, a unix
 * socket server that does not wait); the daemon's other drivers are refused with a text of
 * permgraph's own.
 */
import type { CommandArgs } from './command.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { TxEnv } from '../core/tx-state.js';
import type { Chardev } from '../graph/types.js';
import { ERRNO_TEXT } from '../storage/storage.js';
import { CHARDEV_DRIVERS_10_0, CHARDEV_DRIVERS_7_2 } from '../qapi/char-schema.js';

export const SIMULATED_CHARDEVS = ['null', 'ringbuf', 'memory', 'file', 'socket'];
const UINT64 = 1n << 64n;

/** The drivers a release has (query-chardev-backends). */
export const chardevDrivers = (release: number): readonly string[] => (release >= 1000 ? CHARDEV_DRIVERS_10_0 : CHARDEV_DRIVERS_7_2);

/** qemu_chr_open_ringbuf(): 64 KiB unless sized; the size (as size_t) a power of two (0 passes, as in QEMU). */
function ringbufSize(data: CommandArgs): bigint {
  const given = data['size'];
  const size = given === undefined ? 65536n : ((BigInt(given as number | bigint) % UINT64) + UINT64) % UINT64;
  if ((size & ((size - 1n + UINT64) % UINT64)) !== 0n) fail(msg.ringbufSizeNotPowerOfTwo());
  return size;
}

/** qmp_chardev_open_file_source(): `out` opened for writing (created if need be), then `in` read-only. */
function openFile(data: CommandArgs, env: TxEnv): NonNullable<Chardev['files']> {
  const out = data['out'] as string;
  const facts = env.storage.inspect(out);
  if (!('error' in facts) && !facts.regular) fail(msg.couldNotOpen(out, ERRNO_TEXT.EISDIR));
  const outError = env.storage.openError(out, 'O_RDWR');
  if (outError !== null && outError !== ERRNO_TEXT.ENOENT) fail(msg.couldNotOpen(out, outError));
  const input = data['in'] as string | undefined;
  const inError = input === undefined ? null : env.storage.openError(input, 'O_RDONLY');
  if (input !== undefined && inError !== null) fail(msg.couldNotOpen(input, inError));
  return [{ path: out, mode: 'O_WRONLY' }, ...(input === undefined ? [] : [{ path: input, mode: 'O_RDONLY' as const }])];
}

/** qmp_chardev_open_socket() of a unix socket server that does not wait for its client. */
function socketFilename(data: CommandArgs): string {
  const addr = data['addr'] as { type: string; data: { path?: string } };
  const plain = ['tls-creds', 'tls-authz', 'telnet', 'tn3270', 'websocket', 'reconnect', 'reconnect-ms'].every((k) => data[k] === undefined);
  if (addr.type !== 'unix' || data['server'] !== true || data['wait'] === true || !plain) {
    fail(msg.chardevNotSimulated('socket (other than a unix server with wait off)', SIMULATED_CHARDEVS));
  }
  return `disconnected:unix:${addr.data.path ?? ''},server=on`;
}

/** chardev_new(): the chardev `kind` with `data` opens, or the open's error (without the command's prefix). */
export function openChardev(id: string, kind: string, data: CommandArgs, release: number, env: TxEnv): Chardev {
  if (!chardevDrivers(release).includes(kind)) fail(msg.notACharDriver(kind));
  const base = { id, kind, monitor: false };
  switch (kind) {
    case 'null':
      return { ...base, filename: 'null' };
    case 'ringbuf':
    case 'memory':
      return { ...base, filename: kind, ringbuf: { size: ringbufSize(data), bytes: [] } };
    case 'file':
      return { ...base, filename: 'file', files: openFile(data, env) };
    case 'socket':
      return { ...base, filename: socketFilename(data) };
    default:
      return fail(msg.chardevNotSimulated(kind, SIMULATED_CHARDEVS));
  }
}
