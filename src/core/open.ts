/**
 * Opening a node the way bdrv_open_inherit() does: an inline `file` child first, then the node's
 * own checks (force-share, its name), the driver's open (the file descriptor, or the child edge
 * and the image header), then the backing file. Each child attach refreshes at once, as in QEMU,
 * so the first failure is QEMU's first failure.
 */
import { dirnamePath, isAbsolutePath, resolvePath } from '../util/posix-path.js';
import { Role } from '../drivers/roles.js';
import type { DriverName, FdMode, Graph, NodeName } from '../graph/types.js';
import { nodeFilename } from './filename.js';
import { getObject } from '../graph/graph.js';
import type { ImageHeader } from '../storage/storage.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { attachChild } from './links.js';
import { indexFile, openNode } from './nodes.js';
import { refresh } from './refresh.js';
import type { Tx } from './tx-state.js';
import { qdictKeys } from '../util/qobject.js';

export type BlockdevOptions = Readonly<Record<string, unknown>>;

/** Drivers the simulator models. */
export const SIMULATED_DRIVERS: readonly DriverName[] = ['file', 'null-co', 'raw', 'qcow2', 'throttle', 'copy-on-read'];

export interface OpenContext {
  /** blockdev-add at the top level: the monitor holds a reference. */
  readonly monitorOwned: boolean;
  readonly inheritsFrom: NodeName | null;
  /** Defaults handed down by the parent (bdrv_inherited_options, bdrv_backing_options). */
  readonly inherited: { readonly readOnly?: boolean; readonly autoReadOnly?: boolean };
}

const NODE_NAME_MAX = 31;
const NULL_DEFAULT_SIZE = 1 << 30;

/** BDRV_MAX_LENGTH: the largest offset a request may reach (include/block/block_int-common.h). */
export const BDRV_MAX_LENGTH = 2n ** 63n - 2n ** 30n;

/** id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
export function isWellFormedId(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(id);
}

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** id_generate(ID_BLOCK): `#block` + a counter + two more digits. */
export function generateName(tx: Tx): NodeName {
  const n = tx.g.counters.generatedName++;
  return `#block${n}${String((n * 37 + 11) % 100).padStart(2, '0')}`;
}

/** bdrv_assign_node_name()'s checks. */
export function assignNodeName(tx: Tx, name: string): void {
  if (!isWellFormedId(name)) fail(msg.invalidNodeName(name));
  if (tx.peekNode(name)) fail(msg.duplicateNode(name));
  if (name.length > NODE_NAME_MAX) fail(msg.nodeNameTooLong());
}

/** A child given as a reference (`"file": "f0"`) or inline (`"file": {…}`). */
function openChildRef(tx: Tx, ref: unknown, parentFlags: Inherited, inheritsFrom: NodeName | null): NodeName {
  if (typeof ref === 'string') {
    if (!tx.peekNode(ref)) fail(msg.cannotFindDevice(ref, ref));
    return ref;
  }
  return openBlockdev(tx, ref as BlockdevOptions, { monitorOwned: false, inheritsFrom, inherited: parentFlags });
}

interface Inherited {
  readonly readOnly?: boolean;
  readonly autoReadOnly?: boolean;
}

/** A backing file an image header names: opened once its overlay is (bdrv_open_backing_file()). */
interface HeaderBacking {
  readonly options: BlockdevOptions;
  readonly ctx: OpenContext;
}

/**
 * Opens a node (and what it opens inline) into the transaction; returns its name. A backing chain
 * that image headers name opens image after image, and each overlay takes its backing once
 * everything below it is open, as bdrv_open_backing_file()'s recursion does; here in a loop, so
 * that a chain of any length opens.
 */
export function openBlockdev(tx: Tx, options: BlockdevOptions, ctx: OpenContext): NodeName {
  let opened = openOne(tx, options, ctx);
  const top = opened.name;
  const overlays: NodeName[] = [];
  while (opened.headerBacking) {
    overlays.push(opened.name);
    opened = openOne(tx, opened.headerBacking.options, opened.headerBacking.ctx);
  }
  for (let below = opened.name, overlay = overlays.pop(); overlay !== undefined; below = overlay, overlay = overlays.pop()) {
    attachBacking(tx, overlay, below);
  }
  return top;
}

/** One node: its inline children, itself, and its backing unless its header names that. */
function openOne(tx: Tx, options: BlockdevOptions, ctx: OpenContext): { readonly name: NodeName; readonly headerBacking?: HeaderBacking } {
  const driver = options['driver'] as string;
  if (!(SIMULATED_DRIVERS as readonly string[]).includes(driver)) {
    fail(`Driver '${driver}' is not simulated by permgraph (simulated: ${SIMULATED_DRIVERS.join(', ')})`);
  }
  const policy = tx.policy(driver as DriverName);
  const readOnly = bool(options['read-only']) ?? ctx.inherited.readOnly ?? false;
  const autoReadOnly = bool(options['auto-read-only']) ?? ctx.inherited.autoReadOnly ?? false;
  const flags: Inherited = { readOnly, autoReadOnly };
  const givenName = options['node-name'] as string | undefined;

  // bdrv_open_inherit(): a format or filter node opens its `file` child before itself (probing)
  const fileChild = policy.childPerm ? openChildRef(tx, options['file'], flags, givenName ?? null) : null;

  const forceShare = bool(options['force-share']) ?? false;
  if (forceShare && !readOnly) fail(msg.forceShareReadWrite());
  const name = givenName ?? generateName(tx);
  if (givenName !== undefined) assignNodeName(tx, givenName);

  openNode(tx, {
    name,
    generated: givenName === undefined,
    driver: driver as DriverName,
    options,
    readOnly,
    autoReadOnly,
    forceShare,
    monitorOwned: ctx.monitorOwned,
    inheritsFrom: ctx.inheritsFrom,
    implicit: false,
  });
  const opened = tx.mustNode(name);
  let headerBacking: HeaderBacking | undefined;

  switch (driver as DriverName) {
    case 'file':
      openFile(tx, opened, options);
      break;
    case 'null-co':
      opened.filename = 'null-co://';
      opened.size = openNull(options);
      break;
    case 'raw':
      openRaw(tx, opened.name, fileChild!, options);
      break;
    case 'qcow2':
      headerBacking = openQcow2(tx, opened.name, fileChild!, options);
      break;
    case 'throttle':
      attachFile(tx, name, fileChild!, Role.FILTERED | Role.PRIMARY);
      if (getObject(tx.g as Graph, options['throttle-group'] as string)?.qomType !== 'throttle-group') {
        fail(msg.throttleGroupMissing(options['throttle-group'] as string));
      }
      break;
    case 'copy-on-read':
      attachFile(tx, name, fileChild!, Role.FILTERED | Role.PRIMARY);
      break;
  }
  return headerBacking ? { name, headerBacking } : { name };
}

function openFile(tx: Tx, node: ReturnType<Tx['mustNode']>, options: BlockdevOptions): void {
  const path = options['filename'] as string;
  const mode: FdMode = tx.env.stepper.describe(node.machine).fdReadWrite ? 'O_RDWR' : 'O_RDONLY';
  const openError = tx.env.storage.openError(path, mode);
  if (openError) fail(msg.couldNotOpen(path, openError));
  const facts = tx.env.storage.inspect(path);
  if ('error' in facts) fail(msg.couldNotOpen(path, facts.error));
  if (!facts.regular) fail(msg.notRegularFile(path));
  node.filename = path;
  node.size = facts.size;
  node.file = {
    path,
    identity: facts.identity,
    mode,
    perm: 0,
    shared: 0x0f,
    locking: options['locking'] !== 'off',
  };
  indexFile(tx, node.name);
}

function attachFile(tx: Tx, parent: NodeName, child: NodeName, role: number): void {
  attachChild(tx, parent, child, 'file', role);
  refresh(tx);
  const node = tx.mustNode(parent);
  node.filename = nodeFilename(tx.g as Graph, node);
  node.size = tx.mustNode(child).size;
}

/**
 * null_file_open() and refresh_total_sectors(): the size in whole sectors must stay within
 * BDRV_MAX_LENGTH; latency-ns, read as int64, must not be negative.
 */
function openNull(options: BlockdevOptions): number {
  const size = BigInt((options['size'] as number | bigint | undefined) ?? NULL_DEFAULT_SIZE);
  // the options reach the driver as QemuOpts: a negative size is no size (QEMU 7.2 aborts here)
  if (size < 0n) fail(msg.optionNotASize('size'));
  const latency = BigInt((options['latency-ns'] as number | bigint | undefined) ?? 0);
  if (latency >= 2n ** 63n) fail('latency-ns is invalid');
  const sectors = (size + 511n) / 512n;
  if (sectors * 512n > BDRV_MAX_LENGTH) fail('Could not refresh total sector count: File too large');
  return Number(size);
}

/**
 * raw_read_options() and raw_apply_options(): offset and size through QemuOpts (checked in the
 * order QEMU's QDict lists them), then against the file's size.
 */
function openRaw(tx: Tx, name: NodeName, child: NodeName, options: BlockdevOptions): void {
  for (const key of qdictKeys(options)) {
    if ((key === 'offset' || key === 'size') && BigInt(options[key] as number | bigint) < 0n) fail(msg.optionNotASize(key));
  }
  const slice = options['offset'] !== undefined || options['size'] !== undefined;
  attachFile(tx, name, child, slice ? Role.DATA | Role.PRIMARY : Role.FILTERED | Role.PRIMARY);
  const node = tx.mustNode(name);
  const offset = BigInt((options['offset'] as number | bigint | undefined) ?? 0);
  const fileSize = BigInt(node.size);
  if (offset > fileSize) fail(`Offset (${offset}) cannot be greater than size of the containing file (${fileSize})`);
  const given = options['size'] as number | bigint | undefined;
  const size = given === undefined ? fileSize - offset : BigInt(given);
  if (given !== undefined && fileSize - offset < size) {
    fail(
      `The sum of offset (${offset}) and size (${size}) has to be smaller or equal to the  actual size of the containing file (${fileSize})`,
    );
  }
  if (given !== undefined && size % 512n !== 0n) fail('Specified size is not multiple of 512');
  node.size = Number(size);
}

/** The image header under a node's data: through raw and filters down to a file (read only). */
export function headerBelow(tx: Tx, name: NodeName): ImageHeader | undefined {
  for (let node = tx.peekNode(name); node; ) {
    if (node.file) {
      const facts = tx.env.storage.inspect(node.file.path);
      return 'error' in facts ? undefined : facts.header;
    }
    if (node.driver === 'qcow2' || node.driver === 'null-co') return undefined;
    if (node.driver === 'raw' && node.options['offset'] !== undefined) return undefined;
    const file = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
    node = file && tx.peekNode(file.child);
  }
  return undefined;
}

/** The qcow2 node's file and header, and its backing unless the header names it (then returned). */
function openQcow2(tx: Tx, name: NodeName, child: NodeName, options: BlockdevOptions): HeaderBacking | undefined {
  attachFile(tx, name, child, Role.IMAGE);
  const header = headerBelow(tx, child);
  if (header?.format !== 'qcow2') fail(msg.notQcow2());
  const node = tx.mustNode(name);
  node.size = header.virtualSize;
  return openBacking(tx, name, options, header);
}

const BACKING_DEFAULTS: Inherited = { readOnly: true, autoReadOnly: false };

/**
 * bdrv_open_backing_file(): by reference, inline, none (null), or the file the header names,
 * which is handed back to open next (openBlockdev()).
 */
function openBacking(tx: Tx, name: NodeName, options: BlockdevOptions, header: ImageHeader): HeaderBacking | undefined {
  const backing = options['backing'];
  if (backing === null) return undefined;
  if (typeof backing === 'string' || (typeof backing === 'object' && backing !== null)) {
    attachBacking(tx, name, openChildRef(tx, backing, BACKING_DEFAULTS, name));
    return undefined;
  }
  if (!header.backingFile) return undefined;
  const overlay = tx.mustPeekNode(name).filename;
  const path = isAbsolutePath(header.backingFile) ? header.backingFile : resolvePath(dirnamePath(overlay), header.backingFile);
  const format = header.backingFormat ?? headerOf(tx, path) ?? 'raw';
  return {
    options: { driver: format, file: { driver: 'file', filename: path } },
    ctx: { monitorOwned: false, inheritsFrom: name, inherited: BACKING_DEFAULTS },
  };
}

function attachBacking(tx: Tx, overlay: NodeName, backing: NodeName): void {
  attachChild(tx, overlay, backing, 'backing', Role.COW);
  refresh(tx);
}

function headerOf(tx: Tx, path: string): string | undefined {
  const facts = tx.env.storage.inspect(path);
  return 'error' in facts ? undefined : facts.header.format;
}
