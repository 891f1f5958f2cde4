/**
 * What blockdev-create's job does, driver by driver, on a transaction over the graph and the
 * storage: file-posix.c's raw_co_create() and qcow2.c's qcow2_co_create(). What the storage is
 * told (a file made, a header written) stays even when a later step fails, as on disk.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { insertBackend, removeBackend } from '../core/backends.js';
import { closeNode } from '../core/close.js';
import { dataNodeBelow } from '../core/driver-host.js';
import { isFileEdge } from '../graph/file-child.js';
import type { Edge } from '../graph/types.js';
import { QCOW2_DEFAULTS, type Qcow2Facts } from '../graph/node-header.js';
import { openBlockdev, type BlockdevOptions } from '../core/open.js';
import { refresh } from '../core/refresh.js';
import type { Tx } from '../core/tx-state.js';
import { getShard } from '../graph/shards.js';
import type { NodeName } from '../graph/types.js';
import { Perm, PERM_ALL, PERM_BITS, permNames } from '../perms/perm.js';
import type { ImageHeader } from '../storage/storage.js';
import { firstBlock } from '../storage/status-run.js';
import type { CommandArgs } from './command.js';
import { createImageFile } from '../core/written-images.js';

const { CONSISTENT_READ: CR, WRITE: W, RESIZE: RS } = Perm;

/** raw_check_lock_bytes() for the new descriptor: perm write and resize, resize not shared. */
function checkCreateLocks(tx: Tx, identity: string): void {
  const perm = W | RS;
  const shared = PERM_ALL & ~RS;
  const others = [
    ...(getShard(tx.g.fileUsers, identity) ?? []).map((name) => tx.mustPeekNode(name).file!).filter((file) => file.locking),
    ...(tx.env.storage.externalLocks?.(identity) ?? []),
  ];
  for (const bit of PERM_BITS) if (perm & bit && others.some((o) => !(o.shared & bit))) fail(msg.lockFailed(permNames(bit)));
  for (const bit of PERM_BITS) if (!(shared & bit) && others.some((o) => o.perm & bit)) fail(msg.sharedLockFailed(permNames(bit)));
}

/** raw_co_create(): qemu_create(), the lock check, truncation to 0, then to the size asked. */
export function createFile(tx: Tx, options: CommandArgs): void {
  const filename = options['filename'] as string;
  if (Number(options['extent-size-hint'] ?? 0) > 0xffffffff) fail(msg.extentSizeHintTooLarge());
  const openError = tx.env.storage.openError(filename, 'O_RDWR');
  if (openError !== null && openError !== 'No such file or directory') fail(msg.couldNotCreate(filename, openError));
  const facts = tx.env.storage.inspect(filename);
  if (!('error' in facts)) checkCreateLocks(tx, facts.identity);
  createImageFile(tx, filename, { format: 'raw', virtualSize: 0 });
  // handle_aiocb_truncate(): off, falloc and full; metadata is no mode for a file
  if (options['preallocation'] === 'metadata') fail(msg.filePreallocUnsupported('metadata'));
  const size = Number(options['size']);
  // allocate_first_block() where no preallocation wrote the file (falloc and full: read as all data)
  createImageFile(tx, filename, { format: 'raw', virtualSize: size }, (options['preallocation'] ?? 'off') === 'off' ? firstBlock(size) : undefined);
}

const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));

/** qcow2_co_create()'s checks of its options, in its order. */
function checkQcow2Options(o: CommandArgs): void {
  if (Number(o['size']) % 512 !== 0) fail(msg.qcow2CreateSizeAlign());
  const v2 = o['version'] === 'v2';
  const extendedL2 = o['extended-l2'] === true;
  if (extendedL2 && v2) fail(msg.qcow2ExtendedL2NeedsV3());
  // validate_cluster_size()
  const cluster = Number(o['cluster-size'] ?? 65536);
  if (!isPowerOfTwo(cluster) || cluster < 512 || cluster > 2 * 1024 * 1024) fail(msg.qcow2ClusterSize());
  if (extendedL2 && cluster < 16384) fail(msg.qcow2ExtendedL2ClusterSize());
  const backing = o['backing-file'] !== undefined;
  if (backing && (o['preallocation'] ?? 'off') !== 'off' && !extendedL2) fail(msg.qcow2BackingPrealloc());
  if (o['backing-fmt'] !== undefined && !backing) fail(msg.qcow2BackingFmtWithoutFile());
  if (v2 && o['lazy-refcounts'] === true) fail(msg.qcow2LazyRefcountsNeedV3());
  const refcountBits = Number(o['refcount-bits'] ?? 16);
  if (refcountBits > 64 || !isPowerOfTwo(refcountBits)) fail(msg.qcow2RefcountWidth());
  if (v2 && refcountBits !== 16) fail(msg.qcow2RefcountWidthNeedsV3());
  if (o['data-file-raw'] === true && o['data-file'] === undefined) fail(msg.qcow2DataFileRawNeedsDataFile());
  if (o['data-file-raw'] === true && backing) fail(msg.qcow2BackingAndDataFileRaw());
  if (o['compression-type'] !== undefined && o['compression-type'] !== 'zlib' && v2) fail(msg.qcow2CompressionNeedsV3());
}

/**
 * blk_co_pwrite() of a header at the start of the node's data: lands in the file below raw and
 * filters. A write past the end grows each node it went through (bdrv_co_write_req_finish():
 * total_sectors), to the file's new length in whole sectors.
 */
function writeHeader(tx: Tx, node: NodeName, header: ImageHeader): void {
  const below = dataNodeBelow(tx, node);
  if (!below?.file) return;
  createImageFile(tx, below.file.path, header);
  const facts = tx.env.storage.inspect(below.file.path);
  if ('error' in facts) return;
  const length = Math.ceil(facts.size / 512) * 512;
  for (let at: string | undefined = node; at !== undefined; ) {
    const draft = tx.mustNode(at);
    draft.size = Math.max(draft.size, length);
    if (at === below.name) break;
    const edge: Edge | undefined = tx.mustPeekNode(at).children.map((id) => tx.peekEdge(id)).find(isFileEdge);
    at = edge?.child;
  }
}

/** The header's version, cluster size and feature bits, as qcow2_co_create() writes them. */
function qcow2Facts(o: CommandArgs): Qcow2Facts {
  return {
    ...QCOW2_DEFAULTS,
    compat: o['version'] === 'v2' ? '0.10' : '1.1',
    clusterSize: Number(o['cluster-size'] ?? QCOW2_DEFAULTS.clusterSize),
    lazyRefcounts: o['lazy-refcounts'] === true,
    refcountBits: Number(o['refcount-bits'] ?? QCOW2_DEFAULTS.refcountBits),
    extendedL2: o['extended-l2'] === true,
    compressionType: o['compression-type'] === 'zstd' ? 'zstd' : 'zlib',
  };
}

/** blk_new_open() of a qcow2 node over `file` with the BlockBackend's perm, then blk_unref(). */
function openAndClose(tx: Tx, file: NodeName, perm: number, extra: BlockdevOptions = {}): void {
  const node = openBlockdev(tx, { driver: 'qcow2', file, ...extra }, { monitorOwned: false, inheritsFrom: null, inherited: { readOnly: false } });
  const backend = insertBackend(tx, { kind: 'internal', purpose: 'blockdev-create' }, node, perm, PERM_ALL);
  refresh(tx);
  removeBackend(tx, backend);
  closeNode(tx, node);
  refresh(tx);
}

/**
 * qcow2_co_create(): bdrv_open_blockdev_ref() of `file` (a node's name, or a node opened here and
 * let go of at the end), the option checks, a BlockBackend taking write and resize (sharing all)
 * to write an empty header, then the image opened read-write to give it its size and backing
 * file, and opened once more without its backing to flush it.
 */
export function createQcow2(tx: Tx, o: CommandArgs): void {
  const ref = o['file'];
  let file: NodeName;
  let holder: number | null = null;
  if (typeof ref === 'string') {
    if (!tx.peekNode(ref)) fail(msg.cannotFindDevice(ref, ref));
    file = ref;
  } else {
    file = openBlockdev(tx, ref as BlockdevOptions, { monitorOwned: false, inheritsFrom: null, inherited: { readOnly: false } });
    // the reference bdrv_open_blockdev_ref() returned keeps it open until the end (no perm)
    holder = insertBackend(tx, { kind: 'internal', purpose: 'blockdev-create' }, file, 0, PERM_ALL);
    refresh(tx);
  }
  checkQcow2Options(o);
  const backend = insertBackend(tx, { kind: 'internal', purpose: 'blockdev-create' }, file, W | RS, PERM_ALL);
  refresh(tx);
  writeHeader(tx, file, { format: 'qcow2', virtualSize: 0 });
  removeBackend(tx, backend);
  refresh(tx);
  openAndClose(tx, file, CR | W | RS);
  const backingFile = o['backing-file'] as string | undefined;
  const backingFormat = o['backing-fmt'] as string | undefined;
  writeHeader(tx, file, {
    format: 'qcow2',
    virtualSize: Number(o['size']),
    qcow2: qcow2Facts(o),
    ...(backingFile !== undefined ? { backingFile } : {}),
    ...(backingFormat !== undefined ? { backingFormat } : {}),
  });
  openAndClose(tx, file, CR | W, { backing: null });
  if (holder !== null) {
    removeBackend(tx, holder);
    closeNode(tx, file);
    refresh(tx);
  }
}
