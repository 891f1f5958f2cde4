/**
 * The QAPI types of the block commands permgraph takes (qapi/block-core.json, QEMU 7.2), but for
 * BlockdevOptions, whose variants come from the driver table (src/drivers/blockdev-options.ts).
 */
import { bool, enumOf, listOf, opt, req, since, size, str, struct, uint16, type QapiType } from './schema.js';
import { socketAddress } from './socket-schema.js';

export { socketAddressLegacy } from './socket-schema.js';

/** BlockdevDriver: every value the daemons accept, simulated or not (built without libblkio: no virtio-blk-*). */
export const BLOCKDEV_DRIVERS = [
  'blkdebug', 'blklogwrites', 'blkreplay', 'blkverify', 'bochs', 'cloop', 'compress',
  'copy-before-write', 'copy-on-read', 'dmg', 'file', 'snapshot-access', 'ftp', 'ftps',
  'gluster', 'host_cdrom', 'host_device', 'http', 'https', 'iscsi', 'luks', 'nbd', 'nfs',
  'null-aio', 'null-co', 'nvme', 'parallels', 'preallocate', 'qcow', 'qcow2', 'qed', 'quorum',
  'raw', 'rbd', 'replication', 'ssh', 'throttle', 'vdi', 'vhdx', 'vmdk', 'vpc', 'vvfat',
] as const;

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
      opt('bitmaps', listOf({ kind: 'alternate', name: 'BlockDirtyBitmapOrStr', string: str, object: struct(req('node', str), req('name', str)) })),
      opt('allocation-depth', bool),
    ],
    'vhost-user-blk': [req('addr', socketAddress), opt('logical-block-size', size), opt('num-queues', uint16)],
    fuse: [req('mountpoint', str), opt('growable', bool), opt('allow-other', enumOf('FuseExportAllowOther', ['off', 'on', 'auto']))],
    'vduse-blk': [req('name', str), opt('num-queues', uint16), opt('queue-size', uint16), opt('logical-block-size', size), opt('serial', str)],
  },
};

/** ObjectOptions (src/qapi/object-options.ts: every object type of qapi/qom.json). */
export { objectOptions } from './object-options.js';

