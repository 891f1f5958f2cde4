/**
 * BlockdevOptions variants (qapi/block-core.json) of the drivers permgraph does not simulate, as
 * the daemons' builds have them (QEMU 7.2; `since(1000, …)` for what 10.0 added): blockdev-add
 * checks their arguments as QEMU does before refusing the driver. Integer members are `int`
 * (int64) unless given their QEMU width (blkdebug's, blklogwrites', the inet addresses' `to`).
 */
import { bool, enumOf, enumWith, int, int32, listOf, uint32, uint64, opt, req, since, str, struct, type Member, type QapiType } from '../qapi/schema.js';
import { inetBaseMembers, inetSocket, socketAddress } from '../qapi/socket-schema.js';
import type { BlockdevRefs } from './driver.js';
import { file } from './file.js';

type Variant = (refs: BlockdevRefs) => readonly Member[];

const blkdebugEvent = enumOf('BlkdebugEvent', [
  'l1_update', 'l1_grow_alloc_table', 'l1_grow_write_table', 'l1_grow_activate_table', 'l2_load', 'l2_update',
  'l2_update_compressed', 'l2_alloc_cow_read', 'l2_alloc_write', 'read_aio', 'read_backing_aio', 'read_compressed',
  'write_aio', 'write_compressed', 'vmstate_load', 'vmstate_save', 'cow_read', 'cow_write', 'reftable_load',
  'reftable_grow', 'reftable_update', 'refblock_load', 'refblock_update', 'refblock_update_part', 'refblock_alloc',
  'refblock_alloc_hookup', 'refblock_alloc_write', 'refblock_alloc_write_blocks', 'refblock_alloc_write_table',
  'refblock_alloc_switch_table', 'cluster_alloc', 'cluster_alloc_bytes', 'cluster_free', 'flush_to_os',
  'flush_to_disk', 'pwritev_rmw_head', 'pwritev_rmw_after_head', 'pwritev_rmw_tail', 'pwritev_rmw_after_tail',
  'pwritev', 'pwritev_zero', 'pwritev_done', 'empty_image_prepare', 'l1_shrink_write_table',
  'l1_shrink_free_l2_clusters', 'cor_write', 'cluster_alloc_space', 'none',
]);
const blockPermission = enumOf('BlockPermission', ['consistent-read', 'write', 'write-unchanged', 'resize']);

const injectError = struct(
  req('event', blkdebugEvent), opt('state', int),
  opt('iotype', enumOf('BlkdebugIOType', ['read', 'write', 'write-zeroes', 'discard', 'flush', 'block-status'])),
  opt('errno', int), opt('sector', int), opt('once', bool), opt('immediately', bool),
);

/** BlockdevOptionsGenericFormat: a format with a file only. */
const genericFormat: Variant = ({ ref }) => [req('file', ref)];
/** BlockdevOptionsGenericCOWFormat: a file and a backing. */
const genericCow: Variant = ({ ref, refOrNull }) => [req('file', ref), opt('backing', refOrNull)];


/** BlockdevOptionsCurlBase and its four kinds. */
const curlBase = [
  req('url', str), opt('readahead', int), opt('timeout', int), opt('username', str), opt('password-secret', str),
  opt('proxy-username', str), opt('proxy-password-secret', str),
];

const rbdBase: Member[] = [req('format', enumWith('RbdImageEncryptionFormat', ['luks', 'luks2', { name: 'luks-any', since: 1000 }]))];
/** RbdEncryptionOptions (10.0: luks-any, and the encryption of a parent image, of this type again). */
const rbdEncryption: QapiType = {
  kind: 'union',
  discriminator: 'format',
  base: rbdBase,
  variants: { luks: [req('key-secret', str)], luks2: [req('key-secret', str)], 'luks-any': [since(1000, req('key-secret', str))] },
};
rbdBase.push(since(1000, opt('parent', rbdEncryption)));

const sshHostKeyCheck: QapiType = {
  kind: 'union',
  discriminator: 'mode',
  base: [req('mode', enumOf('SshHostKeyCheckMode', ['none', 'hash', 'known_hosts']))],
  variants: { hash: [req('type', enumOf('SshHostKeyCheckHashType', ['md5', 'sha1', 'sha256'])), req('hash', str)] },
};

export const qcowEncryption: QapiType = {
  kind: 'union',
  discriminator: 'format',
  base: [req('format', enumOf('BlockdevQcowEncryptionFormat', ['aes']))],
  variants: { aes: [opt('key-secret', str)] },
};

const overlapMode = enumOf('Qcow2OverlapCheckMode', ['none', 'constant', 'cached', 'all']);
/** Qcow2OverlapChecks: a mode, or the checks one by one. */
export const qcow2OverlapChecks: QapiType = {
  kind: 'alternate',
  name: 'Qcow2OverlapChecks',
  string: overlapMode,
  object: struct(
    opt('template', overlapMode),
    ...['main-header', 'active-l1', 'active-l2', 'refcount-table', 'refcount-block', 'snapshot-table', 'inactive-l1', 'inactive-l2', 'bitmap-directory'].map((name) => opt(name, bool)),
  ),
};

/** BlockdevQcow2Encryption. */
export const qcow2Encryption: QapiType = {
  kind: 'union',
  discriminator: 'format',
  base: [req('format', enumOf('BlockdevQcow2EncryptionFormat', ['aes', 'luks']))],
  variants: { aes: [opt('key-secret', str)], luks: [opt('key-secret', str)] },
};

export const QAPI_ONLY_BLOCKDEV_VARIANTS: Readonly<Record<string, Variant>> = {
  blkdebug: ({ ref }) => [
    req('image', ref), opt('config', str), opt('align', int), opt('max-transfer', int32), opt('opt-write-zero', int32),
    opt('max-write-zero', int32), opt('opt-discard', int32), opt('max-discard', int32), opt('inject-error', listOf(injectError)),
    opt('set-state', listOf(struct(req('event', blkdebugEvent), opt('state', int), req('new_state', int)))),
    opt('take-child-perms', listOf(blockPermission)), opt('unshare-child-perms', listOf(blockPermission)),
  ],
  blklogwrites: ({ ref }) => [req('file', ref), req('log', ref), opt('log-sector-size', uint32), opt('log-append', bool), opt('log-super-update-interval', uint64)],
  blkverify: ({ ref }) => [req('test', ref), req('raw', ref)],
  blkreplay: ({ ref }) => [req('image', ref)],
  bochs: genericFormat,
  cloop: genericFormat,
  compress: genericFormat,
  // only a backup job makes one here (src/drivers/copy-before-write.ts)
  'copy-before-write': ({ ref }) => [
    req('file', ref), req('target', ref), opt('bitmap', struct(req('node', str), req('name', str))),
    opt('on-cbw-error', enumOf('OnCbwError', ['break-guest-write', 'break-snapshot'])), opt('cbw-timeout', int),
    since(1000, opt('min-cluster-size', int)),
  ],
  dmg: genericFormat,
  ftp: () => curlBase,
  // BlockdevOptionsFile, as the file driver's
  host_device: (refs) => file.members?.(refs) ?? [],
  host_cdrom: (refs) => file.members?.(refs) ?? [],
  ftps: () => [...curlBase, opt('sslverify', bool)],
  gluster: () => [req('volume', str), req('path', str), req('server', listOf(socketAddress)), opt('debug', int), opt('logfile', str)],
  http: () => [...curlBase, opt('cookie', str), opt('cookie-secret', str)],
  https: () => [...curlBase, opt('cookie', str), opt('sslverify', bool), opt('cookie-secret', str)],
  iscsi: () => [
    req('transport', enumOf('IscsiTransport', ['tcp', 'iser'])), req('portal', str), req('target', str), opt('lun', int),
    opt('user', str), opt('password-secret', str), opt('initiator-name', str),
    opt('header-digest', enumOf('IscsiHeaderDigest', ['crc32c', 'none', 'crc32c-none', 'none-crc32c'])), opt('timeout', int),
  ],
  luks: ({ ref }) => [req('file', ref), opt('key-secret', str), since(1000, opt('header', ref))],
  nfs: () => [
    req('server', struct(req('type', enumOf('NFSTransport', ['inet'])), req('host', str))), req('path', str), opt('user', int),
    opt('group', int), opt('tcp-syn-count', int), opt('readahead-size', int), opt('page-cache-size', int), opt('debug', int),
  ],
  nvme: () => [req('device', str), req('namespace', int)],
  parallels: genericFormat,
  preallocate: ({ ref }) => [req('file', ref), opt('prealloc-align', int), opt('prealloc-size', int)],
  qcow: ({ ref, refOrNull }) => [req('file', ref), opt('backing', refOrNull), opt('encrypt', qcowEncryption)],
  qed: genericCow,
  quorum: ({ ref }) => [
    opt('blkverify', bool), req('children', listOf(ref)), req('vote-threshold', int), opt('rewrite-corrupted', bool),
    opt('read-pattern', enumOf('QuorumReadPattern', ['quorum', 'fifo'])),
  ],
  rbd: () => [
    req('pool', str), opt('namespace', str), req('image', str), opt('conf', str), opt('snapshot', str), opt('encrypt', rbdEncryption),
    opt('user', str), opt('auth-client-required', listOf(enumOf('RbdAuthMode', ['cephx', 'none']))), opt('key-secret', str),
    opt('server', listOf(struct(...inetBaseMembers))),
  ],
  replication: ({ ref }) => [req('file', ref), req('mode', enumOf('ReplicationMode', ['primary', 'secondary'])), opt('top-id', str)],
  'snapshot-access': genericFormat,
  ssh: () => [req('server', inetSocket), req('path', str), opt('user', str), opt('host-key-check', sshHostKeyCheck)],
  vdi: genericFormat,
  vhdx: genericFormat,
  vmdk: genericCow,
  vpc: genericFormat,
  vvfat: () => [req('dir', str), opt('fat-type', int), opt('floppy', bool), opt('label', str), opt('rw', bool)],
};
