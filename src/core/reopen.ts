/**
 * Reopening nodes with new options (block.c: bdrv_reopen_prepare(), bdrv_reopen_multiple(),
 * bdrv_reopen_set_read_only()): every queued node is checked and takes its new options, links
 * change, then one refresh decides; the children no one holds any more are closed.
 */
import { refuseUnstoredBitmaps, reopenBitmaps } from './bitmaps.js';
import { qjson } from '../util/qjson.js';
import { flattenQDict, qdictKeys } from '../util/qobject.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { Role } from '../drivers/roles.js';
import { WRITE_PERMS } from '../perms/writers.js';
import { childEdges } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { isFrozenLink } from './chain.js';
import { closeNode } from './close.js';
import { isShallowCopy } from './draft.js';
import { headerBelow } from './driver-host.js';
import { refreshFilename } from './open.js';
import { flagsOf, inactiveAfter, readOnlyQueue, type QueueEntry } from './reopen-queue.js';
import { attachChild, checkNoCycle, detachNoperm } from './links.js';
import { connectionAlive, renegotiate } from './nbd-client.js';
import { stepMachine } from './node-chart.js';
import { refresh } from './refresh.js';
import type { Tx } from './tx-state.js';
import { rulesOf } from '../models/rules.js';

/** Generic options bdrv_reopen_prepare() takes itself (bdrv_runtime_opts). */
const GENERIC = ['node-name', 'driver', 'read-only', 'auto-read-only', 'discard', 'cache', 'detect-zeroes', 'force-share', 'active'];
/**
 * The generic option the reopen consumes and bdrv_reset_options_allowed() does not know: a node
 * whose options hold it (given at open or at a reopen) is never reopened again.
 */
const CONSUMED_NOT_RESETTABLE = 'active';
/** …of which these may be left out, returning to their defaults (bdrv_reset_options_allowed()). */
const RESETTABLE = ['node-name', 'discard', 'cache', 'read-only', 'auto-read-only', 'detect-zeroes'];

/** The image names a backing file in its header (bs->backing_file), whatever was opened as its backing. */
function headerNamesBacking(tx: Tx, node: BlockNode): boolean {
  const file = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
  return file !== undefined && headerBelow(tx, file.child)?.backingFile !== undefined;
}

/** Options flattened as QEMU holds them, and their keys in QDict order. */
interface FlatOptions {
  readonly flat: Readonly<Record<string, unknown>>;
  readonly keys: readonly string[];
}

const flattened = new WeakMap<object, FlatOptions>();

/**
 * flattenQDict() of options (children's references kept), worked out once per options object:
 * options are never changed once made, and the same ones come back (a node's own, a command's).
 */
function flatOptions(options: Readonly<Record<string, unknown>>): FlatOptions {
  let found = flattened.get(options);
  if (!found) {
    const flat = flattenQDict(options, ['file', 'backing']);
    flattened.set(options, (found = { flat, keys: qdictKeys(flat) }));
  }
  return found;
}

/** bdrv_reopen_prepare() of one entry; nodes a new link leaves without parents go in `orphans`. */
function prepare(tx: Tx, entry: QueueEntry, orphans: NodeName[]): void {
  const node = tx.mustPeekNode(entry.name);
  const { options } = entry;
  // bdrv_parse_detect_zeroes(), before anything else is looked at
  if (options['detect-zeroes'] === 'unmap' && (options['discard'] ?? entry.inherited.discard) !== 'unmap') fail(msg.detectZeroesUnmapWithoutDiscard());
  const driver = tx.policy(node.driver);
  // the driver's mutable_opts; none reopens without a .bdrv_reopen_prepare
  const mutable = driver.reopen ?? [];
  // bdrv_flush() of a read-write node: an NBD client whose server went away cannot
  if (!node.readOnly && node.remote && !connectionAlive(tx, node.remote)) fail(msg.flushFailed('Input/output error'));
  if (driver.reopen === null) fail(msg.reopenNotSupported(node.driver, node.name));
  if (entry.keepOld && Object.hasOwn(node.options, CONSUMED_NOT_RESETTABLE)) fail(msg.optionCannotBeReset(CONSUMED_NOT_RESETTABLE));
  if (!entry.keepOld) {
    for (const key of Object.keys(node.options)) {
      // children's options and references are no options of the node's own (bdrv_open_inherit() drops them)
      const given = Object.hasOwn(options, key) && key !== CONSUMED_NOT_RESETTABLE;
      if (!given && !RESETTABLE.includes(key) && !mutable.includes(key) && key !== 'backing' && key !== 'file') {
        fail(msg.optionCannotBeReset(key));
      }
    }
    if (
      driver.supportsBacking &&
      !Object.hasOwn(options, 'backing') &&
      (childEdges(tx.g, node).some((e) => e.name === 'backing') || headerNamesBacking(tx, node))
    ) {
      fail(msg.backingMissing(node.name));
    }
  }
  driverPrepare(tx, entry);
  refuseUnstoredBitmaps(tx, entry.name, flagsOf(entry).readOnly);
  for (const link of ['backing', 'file'] as const) {
    if (Object.hasOwn(options, link)) relink(tx, entry.name, link, options[link], orphans);
  }
  // what is left is compared with the node's options, flattened as QEMU holds them, in QDict order: the first change is reported
  const given = flatOptions(options);
  const had = flatOptions(node.options).flat;
  for (const key of given.keys) {
    const value = given.flat[key];
    // node-name stays: a generated name is none of the node's options, so naming it is a change
    if (GENERIC.includes(key.split('.')[0]!) && key !== 'driver' && key !== 'force-share' && key !== 'node-name') continue;
    if (key === 'backing' || key === 'file' || mutable.includes(key) || driver.reopenAbsorbs?.includes(key)) continue;
    // bdrv_open_common() keeps force-share as a QemuOpts string: the QBool given now never equals it
    if (key === 'force-share') fail(msg.cannotChangeOption(key));
    // qjson: options may hold 64-bit integers (bigint) as the wire gave them
    const was = had[key];
    if (was === undefined || qjson(value) !== qjson(was)) fail(msg.cannotChangeOption(key));
  }
}

/**
 * The driver's .bdrv_reopen_prepare: its own check of the new flags. QEMU 7.2 asks it of the
 * RDWR flag; model dynamic of a node that will be read-write whatever its writers (not
 * auto-read-only), and first lets an NBD client negotiate anew, so that the server's answer now
 * counts.
 */
function driverPrepare(tx: Tx, entry: QueueEntry): void {
  const driver = tx.policy(tx.mustPeekNode(entry.name).driver);
  if (!driver.reopenPrepare) return;
  const flags = flagsOf(entry);
  const dynamic = tx.g.model === 'dynamic';
  const readWrite = !flags.readOnly && !(dynamic && flags.autoReadOnly);
  if (dynamic && readWrite && tx.mustPeekNode(entry.name).remote) {
    const failure = renegotiate(tx, entry.name);
    if (failure) fail(failure);
  }
  const refusal = driver.reopenPrepare(tx.mustPeekNode(entry.name), readWrite, entry.options);
  if (refusal) fail(refusal);
}

/** bdrv_skip_implicit_filters(): the first node at or below `name` that a job did not insert. */
function belowImplicitFilters(tx: Tx, name: NodeName): NodeName | null {
  let iter: NodeName | null = name;
  while (iter && tx.mustPeekNode(iter).implicit) {
    const node = tx.mustPeekNode(iter);
    iter = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'backing' || e.name === 'file')?.child ?? null;
  }
  return iter;
}

/**
 * bdrv_reopen_parse_file_or_backing() and bdrv_set_file_or_backing_noperm(): point `backing` (or
 * `file`) at another node or none. The old child is only let go of here: QEMU drops its
 * reference when the reopen commits (bdrv_replace_child_commit()), so a node it held may become
 * the new child; it goes in `orphans`, for closeOrphans() after the refresh.
 */
function relink(tx: Tx, name: NodeName, link: 'backing' | 'file', value: unknown, orphans: NodeName[]): void {
  if (typeof value !== 'string' && value !== null) return;
  const node = tx.mustPeekNode(name);
  const old = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === link);
  if (value !== null) {
    const child = tx.peekNode(value);
    if (!child) fail(msg.cannotFindDevice('', value));
    // QEMU 7.2 refuses a cycle before any other check of the new link
    checkNoCycle(tx, name, child, link);
  }
  if ((old?.child ?? null) === value) return;
  if (old && belowImplicitFilters(tx, old.child) === value) return;
  if (old && tx.mustPeekNode(old.child).implicit) fail(msg.cannotReplaceImplicit(link, name));
  const driver = tx.policy(node.driver);
  const filter = driver.isFilter;
  if (filter && !old) fail(msg.filterWithoutChild(name, node.driver, link));
  if (old && isFrozenLink(tx.g as Graph, name, old.child)) fail(msg.frozenLink(link, name, old.child));
  if (link === 'backing' && !filter && !driver.supportsBacking) fail(msg.noBackingSupport(node.driver, name));
  if (link === 'file' && !old) fail(msg.fileChildWithoutFile());
  const role = filter ? Role.FILTERED | Role.PRIMARY : link === 'backing' ? Role.COW : old!.role;
  if (old) {
    detachNoperm(tx, old.id);
    orphans.push(old.child);
  }
  if (value !== null) attachChild(tx, name, value, link, role);
  refreshFilename(tx, name);
}

/** What no parent holds any more after the reopen (and the monitor does not hold) is closed. */
function closeOrphans(tx: Tx, orphans: readonly NodeName[]): void {
  for (const name of orphans) {
    const orphan = tx.peekNode(name);
    if (orphan && !orphan.monitorOwned && orphan.parents.length === 0) closeNode(tx, name);
  }
  refresh(tx);
}

/**
 * bdrv_reopen_multiple(): prepare every entry, take the new options and refresh; then the old
 * children no one holds any more go.
 */
export function reopenMultiple(tx: Tx, queue: ReadonlyMap<NodeName, QueueEntry>): void {
  const orphans: NodeName[] = [];
  for (const entry of queue.values()) prepare(tx, entry, orphans);
  // bdrv_reopen_get_flags(): the refresh sees each node's inactive flag as the reopen leaves it
  const inactive = new Map([...queue.values()].flatMap((e) => (tx.peekNode(e.name) ? [[e.name, inactiveAfter(e, tx.mustPeekNode(e.name).inactive)] as const] : [])));
  for (const entry of queue.values()) {
    const before = tx.peekNode(entry.name);
    if (!before) continue;
    const flags = flagsOf(entry);
    // the same options again change nothing (and would be the base's own object once finished)
    if (!isShallowCopy(entry.options, before.options)) tx.mustNode(entry.name).options = entry.options;
    const node = tx.mustPeekNode(entry.name);
    stepMachine(tx, node, { type: 'options.changed', readOnly: flags.readOnly, autoReadOnly: flags.autoReadOnly });
    tx.touch(entry.name);
  }
  tx.fdOpened.clear();
  tx.reopenInactive = inactive;
  try {
    refresh(tx);
  } finally {
    tx.reopenInactive = undefined;
  }
  // bdrv_reopen_commit(): the new flags, without a refresh of their own
  for (const [name, flag] of inactive) if (tx.mustPeekNode(name).inactive !== flag) tx.mustNode(name).inactive = flag;
  if (rulesOf(tx.g.model).reopenForgetsOpenFlags) forgetOpenFlags(tx, queue);
  reopenBitmaps(tx, queue.keys());
  closeOrphans(tx, orphans);
}

/**
 * QEMU's raw_reopen_commit(): a file node the reopen reached whose descriptor was kept is
 * left believing it is O_RDONLY (s->open_flags = 0), so a later check wanting O_RDONLY keeps an
 * O_RDWR descriptor, and one wanting O_RDWR opens a new one.
 */
function forgetOpenFlags(tx: Tx, queue: ReadonlyMap<NodeName, QueueEntry>): void {
  for (const name of queue.keys()) {
    const file = tx.peekNode(name)?.file;
    if (file?.mode === 'O_RDWR' && !tx.fdOpened.has(name)) tx.mustNode(name).file!.flags = 'O_RDONLY';
  }
}

/**
 * bdrv_reopen_set_read_only(): what block jobs do to a base or device node. Keeps the other
 * options; inline children follow; the refresh runs at once.
 */
export function reopenSetReadOnly(tx: Tx, name: NodeName, readOnly: boolean): void {
  reopenMultiple(tx, readOnlyQueue(tx, name, readOnly));
}

/**
 * Whether reopening `name` read-only would be refused: a node the reopen makes read-only has a
 * parent outside the reopen that writes to it (bdrv_check_perm(): "Read-only block node '…'
 * cannot support read-write users"). A caller that ignores a failed reopen, as stream_clean() does
 * (its errp is NULL), leaves the node as it is instead.
 */
export function readOnlyReopenRefused(tx: Tx, name: NodeName): boolean {
  const queue = readOnlyQueue(tx, name, true);
  for (const entry of queue.values()) {
    if (!flagsOf(entry).readOnly) continue;
    for (const id of tx.mustPeekNode(entry.name).parents) {
      const edge = tx.peekEdge(id);
      if (edge.parent.kind === 'node' && queue.has(edge.parent.node)) continue;
      if (edge.perm & WRITE_PERMS) return true;
    }
  }
  return false;
}
