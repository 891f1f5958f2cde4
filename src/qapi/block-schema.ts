/**
 * The QAPI types of the block commands permgraph takes (qapi/block-core.json, QEMU 7.2), but for
 * BlockdevOptions, whose variants come from the driver table (src/drivers/blockdev-options.ts).
 */
import { any, bool, enumOf, int, listOf, opt, req, since, size, str, struct, uint32, type Member, type QapiType } from './schema.js';

/** BlockdevDriver: every value QEMU 7.2 accepts, simulated or not. */
export const BLOCKDEV_DRIVERS = [
  'blkdebug', 'blklogwrites', 'blkreplay', 'blkverify', 'bochs', 'cloop', 'compress',
  'copy-before-write', 'copy-on-read', 'dmg', 'file', 'snapshot-access', 'ftp', 'ftps',
  'gluster', 'host_cdrom', 'host_device', 'http', 'https', 'iscsi', 'luks', 'nbd', 'nfs',
  'null-aio', 'null-co', 'nvme', 'parallels', 'preallocate', 'qcow', 'qcow2', 'qed', 'quorum',
  'raw', 'rbd', 'replication', 'ssh', 'throttle', 'vdi', 'vhdx', 'virtio-blk-vfio-pci',
  'virtio-blk-vhost-user', 'virtio-blk-vhost-vdpa', 'vmdk', 'vpc', 'vvfat',
] as const;

const unixSocket = struct(req('path', str), opt('abstract', bool), opt('tight', bool));
const inetSocket = struct(
  req('host', str), req('port', str), opt('numeric', bool), opt('to', int), opt('ipv4', bool),
  opt('ipv6', bool), opt('keep-alive', bool), opt('mptcp', bool),
);

export const socketAddressLegacy: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [req('type', enumOf('SocketAddressType', ['inet', 'unix', 'vsock', 'fd']))],
  variants: {
    inet: [req('data', inetSocket)],
    unix: [req('data', unixSocket)],
    vsock: [req('data', struct(req('cid', str), req('port', str)))],
    fd: [req('data', struct(req('str', str)))],
  },
};

/** SocketAddress (qapi/sockets.json), the flat union: vhost-user-blk's `addr`. */
const socketAddressFlat: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [req('type', enumOf('SocketAddressType', ['inet', 'unix', 'vsock', 'fd']))],
  variants: {
    inet: (inetSocket as { members: readonly Member[] }).members,
    unix: (unixSocket as { members: readonly Member[] }).members,
    vsock: [req('cid', str), req('port', str)],
    fd: [req('str', str)],
  },
};

export const blockExportOptions: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [
    req('type', enumOf('BlockExportType', ['nbd', 'vhost-user-blk', 'fuse', 'vduse-blk'])),
    req('id', str),
    opt('fixed-iothread', bool),
    opt('iothread', str),
    req('node-name', str),
    opt('writable', bool),
    opt('writethrough', bool),
    since(1000, opt('allow-inactive', bool)),
  ],
  variants: {
    nbd: [
      opt('name', str),
      opt('description', str),
      opt('bitmaps', listOf({ kind: 'alternate', name: 'BlockDirtyBitmapOrStr', string: str, object: any })),
      opt('allocation-depth', bool),
    ],
    // BlockExportOptionsVhostUserBlk (num-queues is a uint16: checked here as a uint32)
    'vhost-user-blk': [req('addr', socketAddressFlat), opt('logical-block-size', size), opt('num-queues', uint32)],
    // BlockExportOptionsVduseBlk (uint16 members checked as uint32)
    'vduse-blk': [req('name', str), opt('num-queues', uint32), opt('queue-size', uint32), opt('logical-block-size', size), opt('serial', str)],
    fuse: [req('mountpoint', str), opt('growable', bool), opt('allow-other', enumOf('FuseExportAllowOther', ['off', 'on', 'auto']))],
  },
};

export const objectOptions: QapiType = {
  kind: 'union',
  discriminator: 'qom-type',
  base: [
    req('qom-type', enumOf('ObjectType', ['throttle-group', 'iothread', 'secret', 'memory-backend-ram'])),
    req('id', str),
  ],
  variants: {
    'throttle-group': [
      opt('limits', any),
      ...['x-iops-total', 'x-iops-total-max', 'x-iops-total-max-length', 'x-iops-read', 'x-iops-read-max',
        'x-iops-read-max-length', 'x-iops-write', 'x-iops-write-max', 'x-iops-write-max-length',
        'x-bps-total', 'x-bps-total-max', 'x-bps-total-max-length', 'x-bps-read', 'x-bps-read-max',
        'x-bps-read-max-length', 'x-bps-write', 'x-bps-write-max', 'x-bps-write-max-length',
        'x-iops-size'].map((name) => opt(name, int)),
    ],
    iothread: [opt('poll-max-ns', int), opt('poll-grow', int), opt('poll-shrink', int), opt('aio-max-batch', int)],
  },
};

