/**
 * qapi/sockets.json: the socket addresses QMP commands take — SocketAddress, the flat union
 * (blockdev-add's nbd `server`, gluster's servers, vhost-user-blk's `addr`, x-vfio-user-server),
 * and SocketAddressLegacy, the union with `data` (nbd-server-start, chardevs).
 */
import { bool, enumOf, opt, req, str, struct, uint16, type Member, type QapiType } from './schema.js';

/** InetSocketAddressBase: what names a host and port. */
export const inetBaseMembers: readonly Member[] = [req('host', str), req('port', str)];
const inetMembers: readonly Member[] = [
  ...inetBaseMembers, opt('numeric', bool), opt('to', uint16), opt('ipv4', bool), opt('ipv6', bool), opt('keep-alive', bool), opt('mptcp', bool),
];
const unixMembers: readonly Member[] = [req('path', str), opt('abstract', bool), opt('tight', bool)];
const vsockMembers: readonly Member[] = [req('cid', str), req('port', str)];
const fdMembers: readonly Member[] = [req('str', str)];
const socketType = () => req('type', enumOf('SocketAddressType', ['inet', 'unix', 'vsock', 'fd']));

/** InetSocketAddress. */
export const inetSocket: QapiType = struct(...inetMembers);

/** SocketAddress: the flat union. */
export const socketAddress: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [socketType()],
  variants: { inet: inetMembers, unix: unixMembers, vsock: vsockMembers, fd: fdMembers },
};

/** SocketAddressLegacy: each kind's members under `data`. */
export const socketAddressLegacy: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [socketType()],
  variants: {
    inet: [req('data', struct(...inetMembers))],
    unix: [req('data', struct(...unixMembers))],
    vsock: [req('data', struct(...vsockMembers))],
    fd: [req('data', struct(...fdMembers))],
  },
};
