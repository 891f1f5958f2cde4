/**
 * The handshake of an NBD client (the fixed newstyle negotiation of the NBD protocol, as
 * nbd/client.c speaks it), with a real server: connect, ask for the export's information
 * (NBD_OPT_INFO: its size and transmission flags) and for the meta contexts it offers, then
 * NBD_OPT_ABORT. It never enters transmission, so it neither reads nor writes data, and a server
 * that ends after its last client (qemu-nbd without -t) does not end for it.
 *
 * The core asks synchronously, so nbdHandshakeSync() runs this file as a child process
 * (`node nbd-handshake.js '<request json>'`), which prints the answer as JSON.
 */
import { spawnSync } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nbdAddressText, noServerError, type NbdAddress, type NbdAnswer } from '../drivers/nbd-server.js';
import { msg } from '../messages/messages.js';
import { ERRNO_TEXT } from '../storage/storage.js';

const NBDMAGIC = 0x4e42444d41474943n;
const IHAVEOPT = 0x49484156454f5054n;
const REPLY_MAGIC = 0x3e889045565a9n;
const FLAG_FIXED_NEWSTYLE = 1;
const FLAG_NO_ZEROES = 2;
const OPT_ABORT = 2;
const OPT_INFO = 6;
const OPT_LIST_META_CONTEXT = 9;
const REP_ACK = 1;
const REP_INFO = 3;
const REP_META_CONTEXT = 4;
const REP_ERR_UNKNOWN = 2 ** 31 + 6;
const INFO_EXPORT = 0;
const FLAG_READ_ONLY = 1 << 1;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** A socket read as a stream of exact-length chunks. */
class Reader {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    const end = (error?: Error): void => {
      this.failure ??= error ?? new Error('server closed the connection');
      this.waiting?.();
    };
    socket.on('end', () => end());
    socket.on('error', end);
  }

  async read(n: number): Promise<Buffer> {
    while (this.buffered.length < n) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function option(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(16);
  head.writeBigUInt64BE(IHAVEOPT, 0);
  head.writeUInt32BE(type, 8);
  head.writeUInt32BE(data.length, 12);
  return Buffer.concat([head, data]);
}

/** An export name, then `count` (u16) more items: the shape of OPT_INFO's and OPT_LIST_META_CONTEXT's data. */
const nameThen = (exportName: string, count: Buffer): Buffer => {
  const name = Buffer.from(exportName, 'utf8');
  return Buffer.concat([u32(name.length), name, count]);
};

interface OptionReply {
  readonly type: number;
  readonly data: Buffer;
}

async function readReply(reader: Reader): Promise<OptionReply> {
  const head = await reader.read(20);
  if (head.readBigUInt64BE(0) !== REPLY_MAGIC) throw new Error('bad option reply magic');
  return { type: head.readUInt32BE(12), data: await reader.read(head.readUInt32BE(16)) };
}

/** A unix socket by its path, or in the abstract namespace (a leading NUL byte). */
const unixPath = (address: { readonly path: string; readonly abstract?: boolean }): string => (address.abstract ? `\0${address.path}` : address.path);

const connectTo = (address: NbdAddress): Socket =>
  address.type === 'unix'
    ? createConnection({ path: unixPath(address) })
    : createConnection({ host: (address as { host: string }).host, port: Number((address as { port: string }).port) });

function errnoText(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  return code in ERRNO_TEXT ? ERRNO_TEXT[code as keyof typeof ERRNO_TEXT] : error.message;
}

/** One handshake with the server at `address` for `exportName`. */
export async function nbdHandshake(address: NbdAddress, exportName: string): Promise<NbdAnswer> {
  if (address.type !== 'unix' && address.type !== 'inet') return { error: noServerError(address, ERRNO_TEXT) };
  const socket = connectTo(address);
  socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy(new Error('the server did not answer in time')));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: noServerError(address, ERRNO_TEXT) };
    return { error: msg.nbdConnectFailed(nbdAddressText(address), errnoText(error as NodeJS.ErrnoException)) };
  }
  const reader = new Reader(socket);
  try {
    const greeting = await reader.read(18);
    if (greeting.readBigUInt64BE(0) !== NBDMAGIC || greeting.readBigUInt64BE(8) !== IHAVEOPT) return { error: 'Server is not an NBD newstyle server' };
    socket.write(u32(greeting.readUInt16BE(16) & (FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES)));
    socket.write(option(OPT_INFO, nameThen(exportName, Buffer.alloc(2))));
    let size = 0;
    let flags = 0;
    for (let reply = await readReply(reader); reply.type !== REP_ACK; reply = await readReply(reader)) {
      if (reply.type === REP_ERR_UNKNOWN) return { error: msg.nbdExportNotAvailable() };
      if (reply.type >= 2 ** 31) return { error: reply.data.toString('utf8') || `Server error ${reply.type}` };
      if (reply.type === REP_INFO && reply.data.readUInt16BE(0) === INFO_EXPORT) {
        size = Number(reply.data.readBigUInt64BE(2));
        flags = reply.data.readUInt16BE(10);
      }
    }
    socket.write(option(OPT_LIST_META_CONTEXT, nameThen(exportName, u32(0))));
    const contexts: string[] = [];
    for (let reply = await readReply(reader); reply.type !== REP_ACK && reply.type < 2 ** 31; reply = await readReply(reader)) {
      if (reply.type === REP_META_CONTEXT) contexts.push(reply.data.subarray(4).toString('utf8'));
    }
    socket.write(option(OPT_ABORT, Buffer.alloc(0)));
    // the server acknowledges the abort before it lets go (its ack is not waited for long)
    await Promise.race([readReply(reader).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 200))]);
    return { size, readOnly: (flags & FLAG_READ_ONLY) !== 0, contexts, serverId: `real:${nbdAddressText(address)}`, persistent: true, maxClients: Number.MAX_SAFE_INTEGER };
  } catch (error) {
    return { error: msg.nbdConnectFailed(nbdAddressText(address), (error as Error).message) };
  } finally {
    socket.end();
    socket.destroy();
  }
}

const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * nbdHandshake() done synchronously, in a child process running this file (built, or under tsx
 * when this is the TypeScript source).
 */
export function nbdHandshakeSync(address: NbdAddress, exportName: string): NbdAnswer {
  const loader = extname(THIS_FILE) === '.ts' ? ['--import', 'tsx'] : [];
  const run = spawnSync(process.execPath, [...loader, THIS_FILE, JSON.stringify({ address, exportName })], {
    encoding: 'utf8',
    timeout: HANDSHAKE_TIMEOUT_MS + 5_000,
  });
  try {
    return JSON.parse(run.stdout) as NbdAnswer;
  } catch {
    return { error: msg.nbdConnectFailed(nbdAddressText(address), run.error?.message ?? (run.stderr.trim().split('\n')[0] || 'no answer')) };
  }
}

if (process.argv[1] === THIS_FILE) {
  const { address, exportName } = JSON.parse(process.argv[2] ?? '{}') as { address: NbdAddress; exportName: string };
  void nbdHandshake(address, exportName).then((answer) => process.stdout.write(JSON.stringify(answer)));
}
