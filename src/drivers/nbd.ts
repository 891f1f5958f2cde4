/**
 * The `nbd` protocol driver, the client (block/nbd.c): no file and no children, a connection to
 * an NBD server instead. Its open connects and negotiates; a server that refuses writes
 * (NBD_FLAG_READ_ONLY) degrades a node opened with auto-read-only to read-only — the case
 * auto-read-only was made for — and refuses any other read-write open. It cannot grow, and a
 * reopen read-write of a node whose server refused writes is refused.
 */
import { fail, failErrno } from '../messages/errors.js';
import { STRERROR } from '../messages/strerror.js';
import { msg } from '../messages/messages.js';
import { featured, opt, req, str, uint32 } from '../qapi/schema.js';
import { socketAddress } from '../qapi/socket-schema.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';
import type { NbdAddress } from './nbd-server.js';

/** NBD_MAX_STRING_SIZE (include/block/nbd.h). */
const NBD_MAX_STRING_SIZE = 4096;


/** strlen(): a name's length in UTF-8 bytes, as it goes to the server. */
const byteLength = (text: string): number => new TextEncoder().encode(text).length;

/** nbd_process_options(): the names the server will be asked for, checked; the TLS credentials looked up. */
function processOptions(host: DriverOpenHost, options: BlockdevOptions): void {
  // nbd_config(): socket_address_parse_named_fd() looks the monitor's fd up first
  if ((options['server'] as NbdAddress).type === 'fd') fail(msg.fdPassingUnsupported());
  const exportName = options['export'] as string | undefined;
  if (exportName !== undefined && byteLength(exportName) > NBD_MAX_STRING_SIZE) fail(msg.nbdExportNameTooLong());
  const creds = options['tls-creds'] as string | undefined;
  if (creds !== undefined) {
    const type = host.objectType(creds);
    if (type === undefined) fail(msg.noTlsCreds(creds));
    if (!type.startsWith('tls-creds')) fail(msg.notTlsCreds(creds));
  }
  const bitmap = options['x-dirty-bitmap'] as string | undefined;
  if (bitmap !== undefined && byteLength(bitmap) > NBD_MAX_STRING_SIZE) fail(msg.nbdBitmapNameTooLong());
}

/**
 * nbd_open(): connect and negotiate, then nbd_handle_updated_info(), whose errors are dropped
 * (its errp is NULL), so bdrv_open_driver() reports only the errno.
 */
function openNbd(host: DriverOpenHost, options: BlockdevOptions): void {
  processOptions(host, options);
  const info = host.connectNbd(options['server'] as NbdAddress, (options['export'] as string | undefined) ?? '');
  const bitmap = options['x-dirty-bitmap'] as string | undefined;
  if (bitmap !== undefined && !info.contexts.includes(bitmap)) fail(msg.couldNotOpenImage('Invalid argument'));
  // bdrv_apply_auto_read_only(): read-only if it may be, else EACCES
  if (info.readOnly && !host.degradeToReadOnly()) fail(msg.couldNotOpenImage('Permission denied'));
  host.size = info.size;
}

/** nbd_refresh_filename(): an `nbd+unix://` or `nbd://` URI, or none where the address has more to it. */
function nbdFilename(options: BlockdevOptions): string | undefined {
  const server = options['server'] as Readonly<Record<string, unknown>>;
  const exportName = options['export'] as string | undefined;
  const tail = exportName !== undefined ? `/${exportName}` : '';
  if (server['type'] === 'unix') return `nbd+unix://${tail}?socket=${server['path'] as string}`;
  if (server['type'] === 'inet' && !['ipv4', 'ipv6', 'to'].some((key) => server[key] !== undefined)) {
    return `nbd://${server['host'] as string}:${server['port'] as string}${tail}`;
  }
  return undefined;
}

export const nbd: BlockDriver = {
  name: 'nbd',
  members: () => [
    req('server', socketAddress),
    opt('export', str),
    opt('tls-creds', str),
    opt('tls-hostname', str),
    featured(opt('x-dirty-bitmap', str), 'unstable'),
    opt('reconnect-delay', uint32),
    opt('open-timeout', uint32),
  ],
  holdsFd: false,
  isFilter: false,
  supportsBacking: false,
  reopen: [],
  open: openNbd,
  // nbd_client_reopen_prepare(): from the flags the last negotiation gave
  reopenPrepare: (node, readWrite) => (readWrite && node.remote?.serverReadOnly ? msg.nbdReopenReadWrite() : null),
  // nbd_co_truncate() (block_resize asks exact=false): never larger; the length stays the export's
  truncate: (_options, size, length) => {
    if (size > length) failErrno(msg.nbdCannotGrow(), STRERROR.EINVAL);
    return { length };
  },
  exactFilename: nbdFilename,
  // nbd_strong_runtime_opts, less the legacy path/host/port that BlockdevOptionsNbd does not have
  strongOptions: ['export', 'tls-creds', 'tls-hostname', 'server.'],
};
