/**
 * NBD servers as an NBD client node meets them (nbd/client.c, nbd/client-connection.c): an address
 * it connects to, an export it asks for by name, and what the negotiation answers — the export's
 * size and whether the server lets it write (NBD_FLAG_READ_ONLY), or why there was no export.
 * Errors are QEMU 7.2's texts.
 */
import { msg } from '../messages/messages.js';

/** SocketAddress as blockdev-add's `server` gives it (qapi/sockets.json). */
export type NbdAddress =
  | { readonly type: 'unix'; readonly path: string }
  | { readonly type: 'inet'; readonly host: string; readonly port: string }
  | { readonly type: 'vsock'; readonly cid: string; readonly port: string }
  | { readonly type: 'fd'; readonly str: string };

/** What one negotiation learned of an export (NBDExportInfo). */
export interface NbdExportInfo {
  readonly size: number;
  /** NBD_FLAG_READ_ONLY: the server refuses writes. */
  readonly readOnly: boolean;
  /** The meta contexts the server offers beyond base:allocation (`qemu-nbd -A`, `-B NAME`). */
  readonly contexts: readonly string[];
  /** Which server answered: a restarted server is another one. */
  readonly serverId: string;
  /** The image header the export's data begins with (an image served raw), if any. */
  readonly header?: ExportHeader;
  /** It ends once its last client that negotiated leaves (`qemu-nbd` without `-t`). */
  readonly persistent: boolean;
  /** How many clients it serves at once (`qemu-nbd -e`); more wait, unanswered. */
  readonly maxClients: number;
  /** The bytes at the export's start that share one allocation status (base:allocation); absent: all. */
  readonly firstRun?: number;
}

/** An image header, as a format node above the client would read it. */
export interface ExportHeader {
  readonly format: string;
  readonly virtualSize: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
}

export type NbdAnswer = NbdExportInfo | { readonly error: string };

/** One key per place a client connects to: `unix:PATH`, `inet:HOST:PORT`, … */
export function nbdAddressKey(address: NbdAddress): string {
  switch (address.type) {
    case 'unix':
      return `unix:${address.path}`;
    case 'inet':
      return `inet:${address.host}:${address.port}`;
    case 'vsock':
      return `vsock:${address.cid}:${address.port}`;
    case 'fd':
      return `fd:${address.str}`;
  }
}

/** The address as QEMU's connect error names it (socket_address_to_string()). */
export function nbdAddressText(address: NbdAddress): string {
  switch (address.type) {
    case 'unix':
      return address.path;
    case 'inet':
      return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
    case 'vsock':
      return `${address.cid}:${address.port}`;
    case 'fd':
      return address.str;
  }
}

/** nbd-server-start's SocketAddressLegacy (`{type, data: {…}}`) as a SocketAddress. */
export function fromLegacyAddress(addr: unknown): NbdAddress | undefined {
  if (!addr || typeof addr !== 'object') return undefined;
  const { type, data } = addr as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || !data || typeof data !== 'object') return undefined;
  return { type, ...data } as NbdAddress;
}

/** An IP address written as one (no name to resolve), or localhost. */
const resolvable = (host: string): boolean => host === 'localhost' || /^[\d.]+$/.test(host) || host.includes(':');

/**
 * Why a client finds no server at an address where none listens (socket_connect()): a unix path
 * that is not there, an abstract socket or TCP port nobody listens on, a vsock with no transport
 * on this machine, or a host name that does not resolve (there is no name service here).
 */
export function noServerError(address: NbdAddress, errno: { readonly ENOENT: string; readonly ECONNREFUSED: string; readonly ENODEV: string }): string {
  if (address.type === 'inet' && !resolvable(address.host)) {
    return msg.addressResolutionFailed(address.host, address.port, 'Name or service not known');
  }
  const why = address.type === 'vsock' ? errno.ENODEV
    : address.type === 'unix' && !(address as { abstract?: boolean }).abstract ? errno.ENOENT
    : errno.ECONNREFUSED;
  return msg.nbdConnectFailed(nbdAddressText(address), why);
}
