/**
 * Opening a node the way bdrv_open_inherit() does: an inline `file` child first, then the node's
 * own checks (force-share, its name), the driver's open (the file descriptor, or the child edge
 * and the image header), then the backing file. Each child attach refreshes at once, as in QEMU,
 * so the first failure is QEMU's first failure.
 */
import { loadBitmapsOnOpen } from './bitmaps.js';
import { dirnamePath, isAbsolutePath, resolvePath } from '../util/posix-path.js';
import { Role } from '../drivers/roles.js';
import type { BackingName, BlockdevOptions } from '../drivers/driver.js';
import { SIMULATED_DRIVERS } from '../drivers/registry.js';
import type { DriverName, Graph, NodeName } from '../graph/types.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { TxDriverHost } from './driver-host.js';
import { attachChild } from './links.js';
import { openNode } from './nodes.js';
import { nodeFilename } from './filename.js';
import { networkDriver } from '../drivers/network.js';
import { openNetwork } from './open-network.js';
import { assignNodeName } from './node-name.js';

export { assignNodeName, isWellFormedId } from './node-name.js';
import { refresh } from './refresh.js';
import { refreshFilename } from './filename-refresh.js';

export { refreshFilename };
import type { Tx } from './tx-state.js';

export type { BlockdevOptions };

export interface OpenContext {
  /** blockdev-add at the top level: the monitor holds a reference. */
  readonly monitorOwned: boolean;
  readonly inheritsFrom: NodeName | null;
  /** Defaults handed down by the parent (bdrv_inherited_options, bdrv_backing_options). */
  readonly inherited: Inherited;
}

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** id_generate(ID_BLOCK): `#block` + a counter + two more digits. */
export function generateName(tx: Tx): NodeName {
  const n = tx.g.counters.generatedName++;
  return `#block${n}${String((n * 37 + 11) % 100).padStart(2, '0')}`;
}

/** A child given as a reference (`"file": "f0"`) or inline (`"file": {…}`). */
function openChildRef(tx: Tx, ref: unknown, parentFlags: Inherited, inheritsFrom: NodeName | null): NodeName {
  if (typeof ref === 'string') {
    if (!tx.peekNode(ref)) fail(msg.cannotFindDevice(ref, ref));
    return ref;
  }
  return openBlockdev(tx, ref as BlockdevOptions, { monitorOwned: false, inheritsFrom, inherited: parentFlags });
}

/** What a parent hands down to a child it opens (block.c: bdrv_inherited_options()). */
export interface Inherited {
  readonly readOnly?: boolean;
  readonly autoReadOnly?: boolean;
  /** A child's `discard` defaults to unmap, whatever its parent's. */
  readonly discard?: string;
  /** A child takes its parent's force-share unless it states its own. */
  readonly forceShare?: boolean;
  /**
   * The `force-share` the parent's options hold (given, or handed down to it): copied into the
   * options of a child that gives none (qdict_copy_default()), where a reopen later finds it.
   */
  readonly forceShareOption?: boolean;
  /**
   * BDRV_O_INACTIVE of the parent's flags: a backing takes the overlay's, opened after it; a
   * `file` is opened before its parent's own `active` counts, so it takes only what the parent
   * was handed. `active: true` cannot undo it.
   */
  readonly inactive?: boolean;
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
    const { options: below, ctx: belowCtx } = opened.headerBacking;
    // each overlay below which the open failed says so (the recursion's error_prepend()s)
    opened = asBackingOpen(overlays.length, () => openOne(tx, below, belowCtx));
  }
  for (let below = opened.name, overlay = overlays.pop(); overlay !== undefined; below = overlay, overlay = overlays.pop()) {
    attachBacking(tx, overlay, below);
  }
  return top;
}

/** One node: its inline children, itself, and its backing unless its header names that. */
function openOne(tx: Tx, options: BlockdevOptions, ctx: OpenContext): { readonly name: NodeName; readonly headerBacking?: HeaderBacking } {
  const driver = options['driver'] as string;
  const network = networkDriver(driver);
  if (network) return openNetwork(tx, options, ctx, network);
  if (!(SIMULATED_DRIVERS as readonly string[]).includes(driver)) {
    fail(msg.driverNotSimulated(driver, SIMULATED_DRIVERS));
  }
  const policy = tx.policy(driver as DriverName);
  const readOnly = bool(options['read-only']) ?? ctx.inherited.readOnly ?? false;
  const autoReadOnly = bool(options['auto-read-only']) ?? ctx.inherited.autoReadOnly ?? false;
  const forceShare = bool(options['force-share']) ?? ctx.inherited.forceShare ?? false;
  const inactive = options['active'] === false || ctx.inherited.inactive === true;
  const forceShareOption = bool(options['force-share']) ?? ctx.inherited.forceShareOption;
  // a `file` opened inline takes the flags the node was handed, before its own options count
  const flags: Inherited = { readOnly, autoReadOnly, discard: 'unmap', forceShare, forceShareOption, inactive: ctx.inherited.inactive === true };
  const givenName = options['node-name'] as string | undefined;

  // bdrv_open_inherit(): a format or filter node opens its `file` child before itself (probing)
  const fileChild = policy.childPerm && options['file'] !== undefined ? openChildRef(tx, options['file'], flags, givenName ?? null) : null;

  if (forceShare && !readOnly) fail(msg.forceShareReadWrite());
  // bdrv_parse_detect_zeroes(): unmapping zeroes needs discard=unmap (given, or a child's default)
  if (options['detect-zeroes'] === 'unmap' && (options['discard'] ?? ctx.inherited.discard) !== 'unmap') fail(msg.detectZeroesUnmapWithoutDiscard());
  const name = givenName ?? generateName(tx);
  if (givenName !== undefined) assignNodeName(tx, givenName);

  openNode(tx, {
    name,
    generated: givenName === undefined,
    driver: driver as DriverName,
    options: withInheritedForceShare(options, ctx.inherited),
    readOnly,
    autoReadOnly,
    forceShare,
    inactive,
    monitorOwned: ctx.monitorOwned,
    inheritsFrom: ctx.inheritsFrom,
    implicit: false,
  });
  // an inline file child inherits from its parent, named by now if its name is generated
  if (fileChild !== null && typeof options['file'] === 'object' && givenName === undefined) tx.mustNode(fileChild).inheritsFrom = name;
  // the driver's own open, then bdrv_open_backing_file() for a driver that takes a backing
  // children a driver opens itself (bdrv_open_child()) take the node's own flags, and inherit from it
  const host = new TxDriverHost(tx, name, fileChild, (ref) => openChildRef(tx, ref, { ...flags, inactive }, name));
  policy.open?.(host, options);
  loadBitmapsOnOpen(tx, name);
  // a protocol node's name for QMP: its exact filename, or its options as json:{…}
  if (!policy.childPerm) host.filename = nodeFilename(tx.g as Graph, tx.mustNode(name));
  const headerBacking = policy.supportsBacking ? openBacking(tx, name, options, host.backing) : undefined;
  // a backing left out (null) where the header names one shows in the filename
  if (policy.supportsBacking && !headerBacking) refreshFilename(tx, name);
  return headerBacking ? { name, headerBacking } : { name };
}

/**
 * The options a node keeps (bs->options): those given, and the parent's `force-share` where none
 * is given. A reopen that keeps the old options then finds it changed, since it reads it back as
 * a string (bdrv_reopen_prepare()), and one that leaves it out may not reset it.
 */
function withInheritedForceShare(options: BlockdevOptions, inherited: Inherited): BlockdevOptions {
  const copied = inherited.forceShareOption;
  return copied === undefined || Object.hasOwn(options, 'force-share') ? options : { ...options, 'force-share': copied };
}

/**
 * What a backing inherits (bdrv_inherited_options() for a COW child): read-only, and the
 * overlay's force-share (the flag, and the option if its options hold one) and inactive flag.
 */
function backingDefaults(tx: Tx, overlay: NodeName): Inherited {
  const node = tx.mustPeekNode(overlay);
  const option = bool(node.options['force-share']);
  return { readOnly: true, autoReadOnly: false, discard: 'unmap', forceShare: node.forceShare, ...(option !== undefined ? { forceShareOption: option } : {}), inactive: node.inactive };
}

/**
 * bdrv_open_backing_file(): a backing that fails to open, or a reference to a node that is not
 * there (not one that fails to attach), is refused with "Could not open backing file: " before
 * the reason, once for each level it is below.
 */
function asBackingOpen<T>(levels: number, open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (!(error instanceof QmpError)) throw error;
    throw new QmpError(error.errorClass, msg.backingOpenFailed(error.desc, levels));
  }
}

/**
 * bdrv_open_backing_file(): by reference, inline, none (null), or the file the image's header
 * names (as its driver's open found it), which is handed back to open next (openBlockdev()).
 */
function openBacking(tx: Tx, name: NodeName, options: BlockdevOptions, header: BackingName): HeaderBacking | undefined {
  const overlay = tx.mustPeekNode(name).filename;
  const headerPath = !header.backingFile ? '' : isAbsolutePath(header.backingFile) || header.backingFile.startsWith('json:') ? header.backingFile : resolvePath(dirnamePath(overlay), header.backingFile);
  // bs->auto_backing_file: the header's name as written; an implicit backing's filename once opened
  if (headerPath) tx.mustNode(name).autoBackingFile = headerPath;
  const backing = options['backing'];
  if (backing === null) return undefined;
  if (typeof backing === 'string' || typeof backing === 'object') {
    if (header.backingFile) tx.mustNode(name).autoBackingFile = header.backingFile;
    attachBacking(tx, name, asBackingOpen(1, () => openChildRef(tx, backing, backingDefaults(tx, name), name)));
    return undefined;
  }
  if (!headerPath) return undefined;
  const path = headerPath;
  const format = header.backingFormat ?? headerOf(tx, path) ?? 'raw';
  return {
    options: { driver: format, file: { driver: 'file', filename: path } },
    ctx: { monitorOwned: false, inheritsFrom: name, inherited: backingDefaults(tx, name) },
  };
}

function attachBacking(tx: Tx, overlay: NodeName, backing: NodeName): void {
  attachChild(tx, overlay, backing, 'backing', Role.COW);
  refresh(tx);
  refreshFilename(tx, overlay);
}

function headerOf(tx: Tx, path: string): string | undefined {
  const facts = tx.env.storage.inspect(path);
  return 'error' in facts ? undefined : facts.header.format;
}
