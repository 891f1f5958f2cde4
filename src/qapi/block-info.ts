/**
 * What the block queries return (qapi/block-core.json): BlockDeviceInfo and ImageInfo
 * (query-named-block-nodes, query-block), BlockStats (query-blockstats), as qemu-storage-daemon
 * 7.2 has them; the members QEMU 10.0 added are tagged `since(1000, …)`, those it moved are listed
 * twice (`before(1000, …)` at the old place).
 */
import { before, bool, enumOf, enumWith, int, listOf, number, opt, req, since, str, struct, type Member, type QapiType } from './schema.js';

/** BlockdevDriver as the daemons were built: no virtio-blk-* driver; gluster deprecated in 10.0. */
export const blockdevDriver = enumWith('BlockdevDriver', [
  'blkdebug', 'blklogwrites', 'blkreplay', 'blkverify', 'bochs', 'cloop', 'compress',
  'copy-before-write', 'copy-on-read', 'dmg', 'file', 'snapshot-access', 'ftp', 'ftps',
  { name: 'gluster', before: 1000 }, { name: 'gluster', since: 1000, features: ['deprecated'] },
  'host_cdrom', 'host_device', 'http', 'https', 'iscsi', 'luks', 'nbd', 'nfs',
  'null-aio', 'null-co', 'nvme', 'parallels', 'preallocate', 'qcow', 'qcow2', 'qed', 'quorum',
  'raw', 'rbd', 'replication', 'ssh', 'throttle', 'vdi', 'vhdx', 'vmdk', 'vpc', 'vvfat',
]);

/** SnapshotInfo. */
export const snapshotInfo = struct(
  req('id', str), req('name', str), req('vm-state-size', int), req('date-sec', int), req('date-nsec', int),
  req('vm-clock-sec', int), req('vm-clock-nsec', int), opt('icount', int),
);

const hashAlg = enumWith('QCryptoHashAlgo', ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'ripemd160', { name: 'sm3', since: 1000 }]);

/** QCryptoBlockInfoLUKS (qapi/crypto.json). */
const luksInfo = struct(
  req('cipher-alg', enumWith('QCryptoCipherAlgo', ['aes-128', 'aes-192', 'aes-256', 'des', '3des', 'cast5-128', 'serpent-128', 'serpent-192', 'serpent-256', 'twofish-128', 'twofish-192', 'twofish-256', { name: 'sm4', since: 1000 }])),
  req('cipher-mode', enumOf('QCryptoCipherMode', ['ecb', 'cbc', 'xts', 'ctr'])),
  req('ivgen-alg', enumOf('QCryptoIVGenAlgo', ['plain', 'plain64', 'essiv'])),
  opt('ivgen-hash-alg', hashAlg), req('hash-alg', hashAlg), since(1000, req('detached-header', bool)),
  req('payload-offset', int), req('master-key-iters', int), req('uuid', str),
  req('slots', listOf(struct(req('active', bool), opt('iters', int), opt('stripes', int), req('key-offset', int)))),
);

const qcow2Encryption: QapiType = {
  kind: 'union',
  discriminator: 'format',
  base: [req('format', enumOf('BlockdevQcow2EncryptionFormat', ['aes', 'luks']))],
  variants: { luks: (luksInfo as Extract<QapiType, { kind: 'struct' }>).members },
};

/** ImageInfoSpecificQCow2. */
const qcow2Info = struct(
  req('compat', str), opt('data-file', str), opt('data-file-raw', bool), opt('extended-l2', bool),
  opt('lazy-refcounts', bool), opt('corrupt', bool), req('refcount-bits', int), opt('encrypt', qcow2Encryption),
  opt('bitmaps', listOf(struct(req('name', str), req('granularity', int), req('flags', listOf(enumOf('Qcow2BitmapInfoFlags', ['in-use', 'auto'])))))),
  req('compression-type', enumOf('Qcow2CompressionType', ['zlib', 'zstd'])),
);

const imageInfoMembers: Member[] = [];
/** ImageInfo (BlockNodeInfo's members, then backing-image, in 10.0). */
export const imageInfo: QapiType = { kind: 'struct', members: imageInfoMembers };

const vmdkExtentInfo = struct(req('filename', str), req('format', str), req('virtual-size', int), opt('cluster-size', int), opt('compressed', bool));
const data = (type: QapiType): Member[] => [req('data', type)];

/** ImageInfoSpecific: the driver's own, each wrapped in `data`. */
const imageInfoSpecific: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [req('type', enumWith('ImageInfoSpecificKind', ['qcow2', 'vmdk', 'luks', 'rbd', { name: 'file', since: 1000 }]))],
  variants: {
    qcow2: data(qcow2Info),
    vmdk: data(struct(
      req('create-type', str), req('cid', int), req('parent-cid', int),
      before(1000, req('extents', listOf(imageInfo))), since(1000, req('extents', listOf(vmdkExtentInfo))),
    )),
    luks: data(luksInfo),
    rbd: data(struct(opt('encryption-format', enumWith('RbdImageEncryptionFormat', ['luks', 'luks2', { name: 'luks-any', since: 1000 }])))),
    file: [since(1000, req('data', struct(opt('extent-size-hint', int))))],
  },
};

imageInfoMembers.push(
  req('filename', str), req('format', str), opt('dirty-flag', bool), opt('actual-size', int), req('virtual-size', int),
  opt('cluster-size', int), opt('encrypted', bool), opt('compressed', bool), opt('backing-filename', str),
  opt('full-backing-filename', str), opt('backing-filename-format', str), opt('snapshots', listOf(snapshotInfo)),
  before(1000, opt('backing-image', imageInfo)), opt('format-specific', imageInfoSpecific), since(1000, opt('backing-image', imageInfo)),
);

const throttleMembers: Member[] = [
  'bps_max', 'bps_rd_max', 'bps_wr_max', 'iops_max', 'iops_rd_max', 'iops_wr_max', 'bps_max_length', 'bps_rd_max_length',
  'bps_wr_max_length', 'iops_max_length', 'iops_rd_max_length', 'iops_wr_max_length', 'iops_size',
].map((name) => opt(name, int));

/** BlockDeviceInfo (query-named-block-nodes; `inserted` of query-block). */
export const blockDeviceInfo = struct(
  req('file', str), opt('node-name', str), req('ro', bool), req('drv', str), opt('backing_file', str),
  req('backing_file_depth', int), since(1000, req('active', bool)), req('encrypted', bool),
  req('detect_zeroes', enumOf('BlockdevDetectZeroesOptions', ['off', 'on', 'unmap'])),
  ...['bps', 'bps_rd', 'bps_wr', 'iops', 'iops_rd', 'iops_wr'].map((name) => req(name, int)),
  req('image', imageInfo), ...throttleMembers, opt('group', str),
  req('cache', struct(req('writeback', bool), req('direct', bool), req('no-flush', bool))), req('write_threshold', int),
  opt('dirty-bitmaps', listOf(struct(
    opt('name', str), req('count', int), req('granularity', int), req('recording', bool), req('busy', bool),
    req('persistent', bool), opt('inconsistent', bool),
  ))),
);

export const ioStatus = enumOf('BlockDeviceIoStatus', ['ok', 'failed', 'nospace']);

/** BlockInfo (query-block). */
export const blockInfo = struct(
  req('device', str), opt('qdev', str), req('type', str), req('removable', bool), req('locked', bool),
  opt('inserted', blockDeviceInfo), opt('tray_open', bool), opt('io-status', ioStatus),
);

/** The operations BlockDeviceStats counts; zone_append since QEMU 8.0. */
const ops = (make: (op: string) => Member): Member[] =>
  ['rd', 'wr', 'zone_append', 'flush', 'unmap'].map((op) => (op === 'zone_append' ? since(1000, make(op)) : make(op)));
const latency = (op: string): Member[] => ['min', 'max', 'avg'].map((what) => req(`${what}_${op}_latency_ns`, int));
const histogram = struct(req('boundaries', listOf(int)), req('bins', listOf(int)));

const timedStats = struct(
  req('interval_length', int), ...['rd', 'wr', 'zone_append', 'flush'].flatMap((op) => (op === 'zone_append' ? latency(op).map((m) => since(1000, m)) : latency(op))),
  ...['rd', 'wr', 'zone_append'].map((op) => (op === 'zone_append' ? since(1000, req(`avg_${op}_queue_depth`, number)) : req(`avg_${op}_queue_depth`, number))),
);

const deviceStats = struct(
  ...['rd', 'wr', 'zone_append', 'unmap'].map((op) => (op === 'zone_append' ? since(1000, req(`${op}_bytes`, int)) : req(`${op}_bytes`, int))),
  ...ops((op) => req(`${op}_operations`, int)),
  ...ops((op) => req(`${op}_total_time_ns`, int)),
  req('wr_highest_offset', int),
  ...['rd', 'wr', 'zone_append', 'unmap'].map((op) => (op === 'zone_append' ? since(1000, req(`${op}_merged`, int)) : req(`${op}_merged`, int))),
  opt('idle_time_ns', int), ...ops((op) => req(`failed_${op}_operations`, int)), ...ops((op) => req(`invalid_${op}_operations`, int)),
  req('account_invalid', bool), req('account_failed', bool), req('timed_stats', listOf(timedStats)),
  ...['rd', 'wr', 'zone_append', 'flush'].map((op) => (op === 'zone_append' ? since(1000, opt(`${op}_latency_histogram`, histogram)) : opt(`${op}_latency_histogram`, histogram))),
);

/** BlockStatsSpecificFile, of file and host_device alike. */
const fileStats: Member[] = [req('discard-nb-ok', int), req('discard-nb-failed', int), req('discard-bytes-ok', int)];
const blockStatsSpecific: QapiType = {
  kind: 'union',
  discriminator: 'driver',
  base: [req('driver', blockdevDriver)],
  variants: {
    file: fileStats,
    host_device: fileStats,
    nvme: [req('completion-errors', int), req('aligned-accesses', int), req('unaligned-accesses', int)],
  },
};

const blockStatsMembers: Member[] = [];
/** BlockStats (query-blockstats): parent and backing are BlockStats again. */
export const blockStats: QapiType = { kind: 'struct', members: blockStatsMembers };
blockStatsMembers.push(
  opt('device', str), opt('qdev', str), opt('node-name', str), req('stats', deviceStats),
  opt('driver-specific', blockStatsSpecific), opt('parent', blockStats), opt('backing', blockStats),
);
