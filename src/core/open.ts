/**
 * Opening a node the way bdrv_open_inherit() does: an inline `file` child first, then the node's
 * own checks (force-share, its name), the driver's open (the file descriptor, or the child edge
 * and the image header), then the backing file. Each child attach refreshes at once, as in QEMU,
 * so the first failure is QEMU's first failure.
 */
import { dirnamePath, isAbsolutePath, resolvePath } from '../util/posix-path.js';
import { Role } from '../drivers/roles.js';
import type { BackingName, BlockdevOptions } from '../drivers/driver.js';
import { SIMULATED_DRIVERS } from '../drivers/registry.js';
import type { DriverName, NodeName } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { TxDriverHost } from './driver-host.js';
import { attachChild } from './links.js';
import { openNode } from './nodes.js';
import { refresh } from './refresh.js';
import type { Tx } from './tx-state.js';

export type { BlockdevOptions };

export interface OpenContext {
  /** blockdev-add at the top level: the monitor holds a reference. */
  readonly monitorOwned: boolean;
  readonly inheritsFrom: NodeName | null;
  /** Defaults handed down by the parent (bdrv_inherited_options, bdrv_backing_options). */
  readonly inherited: { readonly readOnly?: boolean; readonly autoReadOnly?: boolean };
}

const NODE_NAME_MAX = 31;

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
    fail(msg.driverNotSimulated(driver, SIMULATED_DRIVERS));
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
  // the driver's own open, then bdrv_open_backing_file() for a driver that takes a backing
  const host = new TxDriverHost(tx, name, fileChild);
  policy.open?.(host, options);
  const headerBacking = policy.supportsBacking ? openBacking(tx, name, options, host.backing) : undefined;
  return headerBacking ? { name, headerBacking } : { name };
}

const BACKING_DEFAULTS: Inherited = { readOnly: true, autoReadOnly: false };

/**
 * bdrv_open_backing_file(): by reference, inline, none (null), or the file the image's header
 * names (as its driver's open found it), which is handed back to open next (openBlockdev()).
 */
function openBacking(tx: Tx, name: NodeName, options: BlockdevOptions, header: BackingName): HeaderBacking | undefined {
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
