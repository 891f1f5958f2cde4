/** The QAPI types of the block commands permgraph takes (qapi/block-core.json, QEMU 7.2). */
import {
  bool,
  enumOf,
  exactInt,
  exactUint64,
  int,
  listOf,
  opt,
  req,
  str,
  struct,
  uint64,
  any,
  type Member,
  type QapiType,
} from './schema.js';

/** BlockdevDriver: every value QEMU 7.2 accepts, simulated or not. */
export const BLOCKDEV_DRIVERS = [
  'blkdebug', 'blklogwrites', 'blkreplay', 'blkverify', 'bochs', 'cloop', 'compress',
  'copy-before-write', 'copy-on-read', 'dmg', 'file', 'snapshot-access', 'ftp', 'ftps',
  'gluster', 'host_cdrom', 'host_device', 'http', 'https', 'iscsi', 'luks', 'nbd', 'nfs',
  'null-aio', 'null-co', 'nvme', 'parallels', 'preallocate', 'qcow', 'qcow2', 'qed', 'quorum',
  'raw', 'rbd', 'replication', 'ssh', 'throttle', 'vdi', 'vhdx', 'virtio-blk-vfio-pci',
  'virtio-blk-vhost-user', 'virtio-blk-vhost-vdpa', 'vmdk', 'vpc', 'vvfat',
] as const;

const onOffAuto = enumOf('OnOffAuto', ['auto', 'on', 'off']);

const blockdevRef: QapiType = {
  kind: 'alternate',
  name: 'BlockdevRef',
  string: str,
  get object(): QapiType {
    return blockdevOptions;
  },
};

const blockdevRefOrNull: QapiType = {
  kind: 'alternate',
  name: 'BlockdevRefOrNull',
  string: str,
  null: true,
  get object(): QapiType {
    return blockdevOptions;
  },
};

const genericFormat: Member[] = [req('file', blockdevRef)];

const qcow2Members: Member[] = [
  ...genericFormat,
  opt('backing', blockdevRefOrNull),
  opt('lazy-refcounts', bool),
  opt('pass-discard-request', bool),
  opt('pass-discard-snapshot', bool),
  opt('pass-discard-other', bool),
  opt('overlap-check', any),
  opt('cache-size', int),
  opt('l2-cache-size', int),
  opt('l2-cache-entry-size', int),
  opt('refcount-cache-size', int),
  opt('cache-clean-interval', int),
  opt('encrypt', any),
  opt('data-file', blockdevRef),
];

export const blockdevOptions: QapiType = {
  kind: 'union',
  discriminator: 'driver',
  base: [
    req('driver', enumOf('BlockdevDriver', BLOCKDEV_DRIVERS)),
    opt('node-name', str),
    opt('discard', enumOf('BlockdevDiscardOptions', ['ignore', 'unmap'])),
    opt('cache', struct(opt('direct', bool), opt('no-flush', bool))),
    opt('read-only', bool),
    opt('auto-read-only', bool),
    opt('force-share', bool),
    opt('detect-zeroes', enumOf('BlockdevDetectZeroesOptions', ['off', 'on', 'unmap'])),
  ],
  variants: {
    file: [
      req('filename', str),
      opt('pr-manager', str),
      opt('locking', onOffAuto),
      opt('aio', enumOf('BlockdevAioOptions', ['threads', 'native', 'io_uring'])),
      opt('aio-max-batch', int),
      opt('drop-cache', bool),
      opt('x-check-cache-dropped', bool),
    ],
    'null-co': [opt('size', exactInt), opt('latency-ns', exactUint64), opt('read-zeroes', bool)],
    'null-aio': [opt('size', exactInt), opt('latency-ns', exactUint64), opt('read-zeroes', bool)],
    raw: [...genericFormat, opt('offset', exactInt), opt('size', exactInt)],
    qcow2: qcow2Members,
    throttle: [req('throttle-group', str), req('file', blockdevRef)],
    'copy-on-read': [...genericFormat, opt('bottom', str)],
  },
};

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
  ],
  variants: {
    nbd: [
      opt('name', str),
      opt('description', str),
      opt('bitmaps', listOf({ kind: 'alternate', name: 'BlockDirtyBitmapOrStr', string: str, object: any })),
      opt('allocation-depth', bool),
    ],
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

