/**
 * The export types besides NBD: vhost-user-blk (block/export/vhost-user-blk-server.c:
 * vu_blk_exp_create(), util/vhost-user-server.c) and fuse (block/export/fuse.c:
 * fuse_export_create()). Both keep blk_exp_add()'s backend as it is (consistent read, write
 * when writable, all shared); a fuse export that is writable or growable takes resize too.
 */
import { setBackendPerm } from '../core/backends.js';
import type { Tx } from '../core/tx-state.js';
import { exportsInOrder } from '../graph/graph.js';
import type { BackendId, Graph } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { rulesOf } from '../models/rules.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import type { CommandArgs } from './command.js';

/** The export types blk_exp_find_driver() finds. */
export const EXPORT_TYPES = ['nbd', 'vhost-user-blk', 'fuse', 'vduse-blk'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

const MIN_BLOCK_SIZE = 512;
const MAX_BLOCK_SIZE = 2 * 1024 * 1024;
/** VIRTIO_BLK_SECTOR_SIZE */
const VIRTIO_BLK_SECTOR_SIZE = 512;

/** util/block-helpers.c: check_block_size(); QEMU 10.0 says it in one text. */
function checkBlockSize(tx: Tx, id: string, name: string, value: number): void {
  const outOfRange = value < MIN_BLOCK_SIZE || value > MAX_BLOCK_SIZE;
  const notPowerOf2 = (value & (value - 1)) !== 0;
  if (!outOfRange && !notPowerOf2) return;
  if (rulesOf(tx.g.model).qapiRelease >= 1000) fail(msg.blockSizeNotPowerOf2Between(name, MIN_BLOCK_SIZE, MAX_BLOCK_SIZE));
  if (outOfRange) fail(msg.propertyValueOutOfRange(id, name, value, MIN_BLOCK_SIZE, MAX_BLOCK_SIZE));
  fail(msg.blockSizeNotPowerOf2(id, name, value));
}

/**
 * vu_blk_exp_create(): block size, queues, then the listening socket (util/qemu-sockets.c:
 * unix_listen_saddr()): a file descriptor is refused, a unix socket binds unless the storage says
 * why not (its folder missing).
 */
function createVhostUserBlk(tx: Tx, args: CommandArgs): void {
  const id = args['id'] as string;
  const size = Number((args['logical-block-size'] as number | bigint | undefined) ?? VIRTIO_BLK_SECTOR_SIZE);
  if (size !== 0) checkBlockSize(tx, id, 'logical-block-size', size);
  if (args['num-queues'] === 0) fail(msg.numQueuesZero());
  const addr = args['addr'] as { type: string; path?: string };
  if (addr.type !== 'unix' && addr.type !== 'fd') fail(msg.vhostUserSocketTypes());
  // qio_net_listener_open_sync(): socket_get_fd() asks the monitor, which takes no descriptors
  if (addr.type === 'fd') fail(msg.fdPassingUnsupported());
  const bindError = tx.env.storage.socketBindError?.(addr.path ?? '') ?? null;
  if (bindError !== null) fail(msg.socketBindFailed(addr.path ?? '', bindError));
}

/**
 * fuse_export_create(): resize taken for a writable or growable export, the mountpoint not in use
 * by another fuse export, stat()ed and a regular file, then mounted (the storage says whether the
 * daemon's user may mount: the corpus' daemons run as `nobody`, who may not).
 */
function createFuse(tx: Tx, args: CommandArgs, backend: BackendId, perm: number): void {
  const mountpoint = args['mountpoint'] as string;
  if (args['growable'] === true || args['writable'] === true) setBackendPerm(tx, backend, perm | Perm.RESIZE, PERM_ALL);
  if (exportsInOrder(tx.g as Graph).some((e) => e.mountpoint === mountpoint)) fail(msg.fuseMountpointInUse(mountpoint));
  const facts = tx.env.storage.inspect(mountpoint);
  if ('error' in facts) fail(msg.fuseStatFailed(mountpoint, facts.error));
  if (!facts.regular) fail(msg.fuseNotRegularFile(mountpoint));
  const mountError = tx.env.storage.fuseMountError?.(mountpoint) ?? null;
  if (mountError !== null) fail(mountError);
}

/** VIRTQUEUE_MAX_SIZE */
const VIRTQUEUE_MAX_SIZE = 1024;

/**
 * vduse_blk_exp_create(): queues, queue size, block size; then the VDUSE device, which needs
 * /dev/vduse (the vduse kernel module): without it, as on the machines the corpus was recorded on,
 * the device cannot be created.
 */
function createVduseBlk(tx: Tx, args: CommandArgs): never {
  if (args['num-queues'] === 0) fail(msg.numQueuesZero());
  const queueSize = args['queue-size'] as number | undefined;
  if (queueSize !== undefined && (queueSize <= 2 || (queueSize & (queueSize - 1)) !== 0 || queueSize > VIRTQUEUE_MAX_SIZE)) fail(msg.queueSizeInvalid());
  const size = args['logical-block-size'];
  if (size !== undefined && Number(size) !== 0) checkBlockSize(tx, args['id'] as string, 'logical-block-size', Number(size));
  fail(msg.vduseDeviceFailed());
}

/** The type's own create step, after the backend was inserted; what the export record keeps of it. */
export function createTypedExport(tx: Tx, args: CommandArgs, backend: BackendId, perm: number): { mountpoint?: string } {
  if (args['type'] === 'vduse-blk') createVduseBlk(tx, args);
  if (args['type'] === 'vhost-user-blk') {
    createVhostUserBlk(tx, args);
    return {};
  }
  createFuse(tx, args, backend, perm);
  return { mountpoint: args['mountpoint'] as string };
}
