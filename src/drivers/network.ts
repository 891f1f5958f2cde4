/**
 * The block drivers that need a server: ssh, the four curl protocols, nfs, rbd, iscsi, gluster,
 * and nvme (a PCI device through VFIO). No server of any kind is reachable where the daemons run,
 * so none of them opens: each entry is its open's checks, in QEMU's order, and the text its
 * connection fails with (src/drivers/network-hosts.ts tells which hosts permgraph can answer
 * for). Their QAPI members stay with the other QAPI-only variants (qapi-only-variants.ts).
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { checkSizeOptions } from './qemu-opts.js';
import type { BlockdevOptions } from './driver.js';
import { lookUpSecret, mustAnswer, portNumber, refuseOthers, type NetworkOpenHost } from './network-hosts.js';

export interface NetworkDriver {
  /** Its .bdrv_file_open up to the connection, which fails: never returns. */
  readonly open: (host: NetworkOpenHost, options: BlockdevOptions) => never;
}

type Options = Readonly<Record<string, unknown>>;
const str = (options: Options, key: string): string | undefined => (typeof options[key] === 'string' ? (options[key] as string) : undefined);

const CURL_DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21', ftps: '990' };
const CURL_READAHEAD_DEFAULT = 256n * 1024n;
const CURL_TIMEOUT_MAX = 10000n;

/** The host and port of a URL's authority, or null for one permgraph does not take apart. */
function urlHostPort(url: string, protocol: string): { host: string; port: string } | null {
  const match = /^[a-z]+:\/\/(?:[^@/?#]*@)?([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?(?:[/?#]|$)/.exec(url);
  if (!match) return null;
  const port = match[2] ?? CURL_DEFAULT_PORTS[protocol]!;
  return portNumber(port) === null ? null : { host: match[1]!, port };
}

/** block/curl.c: curl_open(); the read-only check comes first (bdrv_apply_auto_read_only()). */
function curlOpen(protocol: string): NetworkDriver['open'] {
  return (host, options) => {
    if (!host.readOnly && !host.autoReadOnly) fail(msg.curlNoWrites());
    checkSizeOptions(host, options, ['readahead']);
    const readahead = options['readahead'] === undefined ? CURL_READAHEAD_DEFAULT : BigInt(options['readahead'] as number);
    if ((readahead & 0x1ffn) !== 0n) fail(msg.curlReadaheadNotSector(readahead.toString()));
    const timeout = options['timeout'] === undefined ? 0n : BigInt.asUintN(64, BigInt(options['timeout'] as number));
    if (timeout > CURL_TIMEOUT_MAX) fail(msg.curlTimeoutTooLarge());
    const cookieSecret = str(options, 'cookie-secret');
    if (options['cookie'] !== undefined && cookieSecret !== undefined) fail(msg.curlCookieAndSecret());
    if (cookieSecret !== undefined) lookUpSecret(host, cookieSecret);
    const url = options['url'] as string;
    if (!url.startsWith(`${protocol}://`)) fail(msg.curlWrongProtocol(protocol, url));
    for (const key of ['password-secret', 'proxy-password-secret']) {
      const id = str(options, key);
      if (id !== undefined) lookUpSecret(host, id);
    }
    const at = urlHostPort(url, protocol);
    if (!at) fail(msg.networkNotSimulated(protocol, `URL '${url}'`));
    const answer = mustAnswer(protocol, at.host);
    fail(msg.curlOpenFailed(answer === 'refused' ? msg.curlCouldNotConnect(at.host, at.port) : msg.curlCouldNotResolve(at.host)));
  };
}

/** block/ssh.c: ssh_file_open() → connect_to_ssh(): the port, then inet_connect_saddr(). */
const sshOpen: NetworkDriver['open'] = (_host, options) => {
  const server = options['server'] as Options;
  refuseOthers('ssh', server, ['host', 'port'], 'server member');
  const host = server['host'] as string;
  const port = server['port'] as string;
  if (/^[A-Za-z]*$/.test(port)) fail(msg.sshNumericPort());
  if (portNumber(port) === null) fail(msg.networkNotSimulated('ssh', `port '${port}'`));
  const answer = mustAnswer('ssh', host, ['127.0.0.1', 'localhost']);
  fail(answer === 'refused' ? msg.inetConnectFailed(host, port, 'Connection refused') : msg.inetResolveFailed(host, port, 'Name or service not known'));
};

/** block/nfs.c: nfs_client_open(): the path, the cache options, then nfs_mount(). */
const nfsOpen: NetworkDriver['open'] = (_host, options) => {
  if (!(options['path'] as string).includes('/')) fail(msg.nfsInvalidUrl());
  const direct = (options['cache'] as Options | undefined)?.['direct'] === true;
  if (direct && options['readahead-size'] !== undefined) fail(msg.nfsCacheDirect('readahead'));
  if (direct && options['page-cache-size'] !== undefined) fail(msg.nfsCacheDirect('pagecache'));
  const host = (options['server'] as Options)['host'] as string;
  const answer = mustAnswer('nfs', host);
  fail(msg.nfsMountFailed(answer === 'refused' ? msg.nfsServiceFailed() : msg.nfsUnresolved(host)));
};

/** block/rbd.c: qemu_rbd_open() → qemu_rbd_connect(): the conf file, then rados_connect() (no monitor answers). */
const rbdOpen: NetworkDriver['open'] = (host, options) => {
  for (const key of ['server', 'key-secret']) if (options[key] !== undefined) fail(msg.networkNotSimulated('rbd', `'${key}'`));
  const conf = str(options, 'conf');
  if (conf !== undefined) {
    const facts = host.inspect(conf);
    if (!('error' in facts)) fail(msg.networkNotSimulated('rbd', `conf file '${conf}'`));
    fail(msg.rbdConfFile(conf, facts.error));
  }
  fail(msg.rbdConnect('No such file or directory'));
};

/** block/iscsi.c: iscsi_open(): apply_chap(), then iscsi_full_connect_sync() to the portal. */
const iscsiOpen: NetworkDriver['open'] = (host, options) => {
  if (options['user'] !== undefined) {
    const secret = str(options, 'password-secret');
    if (secret === undefined) fail(msg.iscsiChapNoPassword());
    lookUpSecret(host, secret);
  }
  const portal = options['portal'] as string;
  const match = /^([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(portal);
  if (!match || (match[2] !== undefined && portNumber(match[2]) === null)) fail(msg.networkNotSimulated('iscsi', `portal '${portal}'`));
  const answer = mustAnswer('iscsi', match[1]!);
  if (options['transport'] === 'iser') {
    if (answer !== 'refused') fail(msg.networkNotSimulated('iscsi', `portal '${portal}'`));
    fail(msg.iscsiConnectFailed(msg.iscsiIserFailed()));
  }
  fail(msg.iscsiConnectFailed(answer === 'refused' ? msg.iscsiServiceFailed() : msg.iscsiUnresolved(portal)));
};

/** block/gluster.c: qemu_gluster_parse_json() over every server, then qemu_gluster_glfs_init(). */
const glusterOpen: NetworkDriver['open'] = (_host, options) => {
  if (options['logfile'] !== undefined) fail(msg.networkNotSimulated('gluster', "'logfile'"));
  const servers = options['server'] as readonly Options[];
  for (const server of servers) {
    if (server['type'] === 'inet') {
      if (server['to'] !== undefined) fail(msg.glusterToUnsupported());
      if (server['ipv4'] !== undefined || server['ipv6'] !== undefined) fail(msg.glusterIpUnsupported());
      refuseOthers('gluster', server, ['type', 'host', 'port'], 'server member');
    } else if (server['type'] === 'unix') refuseOthers('gluster', server, ['type', 'path'], 'server member');
    else fail(msg.networkNotSimulated('gluster', `a server of type '${String(server['type'])}'`));
  }
  for (const server of servers) {
    if (server['type'] !== 'inet') continue;
    const port = server['port'] as string;
    if (!/^[0-9]+$/.test(port) || BigInt(port) > 65535n) fail(msg.glusterInvalidPort(port));
    mustAnswer('gluster', server['host'] as string);
  }
  fail(msg.glusterConnectFailed(options['volume'] as string, options['path'] as string));
};

/** block/nvme.c: nvme_file_open() → nvme_init() → qemu_vfio_open_pci(): there is no /dev/vfio here. */
const nvmeOpen: NetworkDriver['open'] = () => fail(msg.vfioOpenFailed('No such file or directory'));

const curl = (protocol: string): NetworkDriver => ({ open: curlOpen(protocol) });

export const NETWORK_DRIVERS: Readonly<Record<string, NetworkDriver>> = {
  ssh: { open: sshOpen },
  http: curl('http'),
  https: curl('https'),
  ftp: curl('ftp'),
  ftps: curl('ftps'),
  nfs: { open: nfsOpen },
  rbd: { open: rbdOpen },
  iscsi: { open: iscsiOpen },
  gluster: { open: glusterOpen },
  nvme: { open: nvmeOpen },
};

/** The network driver of that name, or undefined: a client's string is no key to trust. */
export function networkDriver(name: string): NetworkDriver | undefined {
  return Object.hasOwn(NETWORK_DRIVERS, name) ? NETWORK_DRIVERS[name] : undefined;
}
