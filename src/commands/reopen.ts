/**
 * blockdev-reopen (blockdev.c: qmp_blockdev_reopen(); block.c: bdrv_reopen_queue_child(),
 * bdrv_reopen_prepare(), bdrv_reopen_multiple()). One transaction: every queued node takes its
 * new options, links change, then one refresh decides; any failure changes nothing.
 */
import { isShallowCopy } from '../core/draft.js';
import { qjson } from '../util/qjson.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact, type Tx } from '../core/tx.js';
import { Role } from '../drivers/roles.js';
import { WRITE_PERMS } from '../perms/writers.js';
import { childEdges, getNode } from '../graph/graph.js';
import type { BlockNode, DriverName, Graph, NodeName } from '../graph/types.js';
import { BACKING_DRIVERS, FILTER_DRIVERS, UNREOPENABLE_DRIVERS } from '../drivers/policies.js';
import { headerBelow, type BlockdevOptions } from '../core/open.js';
import { isFrozenLink } from '../jobs/blockers.js';
import { blockdevOptions } from '../qapi/block-schema.js';
import { listOf, req, struct } from '../qapi/schema.js';
import { nodeFilename } from '../core/filename.js';
import { closeNode } from './blockdev.js';
import type { Command } from './command.js';

/** Driver options that may change or be dropped on reopen (each driver's mutable_opts). */
const MUTABLE: Readonly<Partial<Record<DriverName, readonly string[]>>> = {
  file: ['x-check-cache-dropped', 'drop-cache'],
  raw: ['offset', 'size'],
  qcow2: [
    'lazy-refcounts', 'pass-discard-request', 'pass-discard-snapshot', 'pass-discard-other',
    'overlap-check', 'cache-size', 'l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size',
    'cache-clean-interval',
  ],
  throttle: ['throttle-group'],
};

/** Generic options bdrv_reopen_prepare() takes itself (bdrv_runtime_opts). */
const GENERIC = ['node-name', 'driver', 'read-only', 'auto-read-only', 'discard', 'cache', 'detect-zeroes', 'force-share'];
/** …of which these may be left out, returning to their defaults (bdrv_reset_options_allowed()). */
const RESETTABLE = ['node-name', 'discard', 'cache', 'read-only', 'auto-read-only', 'detect-zeroes'];

interface QueueEntry {
  readonly name: NodeName;
  readonly options: BlockdevOptions;
  /** Child reopened with its old options (bdrv_reopen_queue_child() keep_old_opts). */
  readonly keepOld: boolean;
  readonly inherited: { readonly readOnly?: boolean; readonly autoReadOnly?: boolean };
}

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

function flagsOf(entry: QueueEntry): { readOnly: boolean; autoReadOnly: boolean } {
  return {
    readOnly: bool(entry.options['read-only']) ?? entry.inherited.readOnly ?? false,
    autoReadOnly: bool(entry.options['auto-read-only']) ?? entry.inherited.autoReadOnly ?? false,
  };
}

/**
 * bdrv_reopen_queue_child(): the node, then its inline children that are not re-pointed, depth
 * first (a work list: chains of any length).
 */
function enqueue(graph: Graph, queue: Map<NodeName, QueueEntry>, first: QueueEntry): void {
  const work = [first];
  for (let entry = work.pop(); entry; entry = work.pop()) {
    const children = enqueueOne(graph, queue, entry);
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i]!);
  }
}

/** One node into the queue; the entries of its inline children, in order. */
function enqueueOne(graph: Graph, queue: Map<NodeName, QueueEntry>, entry: QueueEntry): QueueEntry[] {
  const out: QueueEntry[] = [];
  const previous = queue.get(entry.name);
  queue.delete(entry.name);
  queue.set(entry.name, previous ? { ...entry, options: { ...previous.options, ...entry.options } } : entry);
  const node = getNode(graph, entry.name)!;
  const parentFlags = flagsOf(entry);
  // what a child named by reference inherits: only flags the parent's options state (a parent
  // reopened with its old options states them all); else the child keeps its own
  const stated = entry.keepOld ? parentFlags : { readOnly: bool(entry.options['read-only']), autoReadOnly: bool(entry.options['auto-read-only']) };
  for (const edge of childEdges(graph, node)) {
    const child = getNode(graph, edge.child)!;
    if (child.inheritsFrom !== node.name) continue;
    const ref = entry.options[edge.name];
    const inline = typeof ref === 'object' && ref !== null;
    // a reference must name the current child; inline options are the child's new options
    if (ref !== undefined && !inline && ref !== child.name) continue;
    // a child the options do not mention keeps its old options when its parent does
    const keepOld = ref === undefined ? entry.keepOld : !inline;
    const inherited = edge.role & Role.COW
      ? { readOnly: true, autoReadOnly: false }
      : keepOld
        ? { readOnly: stated.readOnly ?? child.readOnlyOption, autoReadOnly: stated.autoReadOnly ?? child.autoReadOnly }
        : parentFlags;
    // a generated name is no option of the child's (bs->options): only the client's would be compared
    const options: BlockdevOptions = inline
      ? { ...(child.generated ? {} : { 'node-name': child.name }), ...(ref as BlockdevOptions) }
      : ref === undefined
        ? { driver: child.driver, ...pickChildOptions(child.options) }
        : child.options;
    out.push({ name: child.name, options, keepOld, inherited });
  }
  return out;
}

/** An inline child reopened without options of its own keeps what identifies it. */
function pickChildOptions(options: BlockdevOptions): BlockdevOptions {
  const { 'read-only': _ro, 'auto-read-only': _aro, ...rest } = options;
  return rest;
}

/** The image names a backing file in its header (bs->backing_file), whatever was opened as its backing. */
function headerNamesBacking(tx: Tx, node: BlockNode): boolean {
  const file = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
  return file !== undefined && headerBelow(tx, file.child)?.backingFile !== undefined;
}

/** bdrv_reopen_prepare() of one entry; nodes a new link leaves without parents go in `orphans`. */
function prepare(tx: Tx, entry: QueueEntry, orphans: NodeName[]): void {
  const node = tx.mustPeekNode(entry.name);
  const { options } = entry;
  const mutable = MUTABLE[node.driver] ?? [];
  if (UNREOPENABLE_DRIVERS.has(node.driver)) fail(msg.reopenNotSupported(node.driver, node.name));
  if (!entry.keepOld) {
    for (const key of Object.keys(node.options)) {
      // children's options and references are no options of the node's own (bdrv_open_inherit() drops them)
      if (!Object.hasOwn(options, key) && !RESETTABLE.includes(key) && !mutable.includes(key) && key !== 'backing' && key !== 'file') {
        fail(`Option '${key}' cannot be reset to its default value`);
      }
    }
    if (
      BACKING_DRIVERS.has(node.driver) &&
      !Object.hasOwn(options, 'backing') &&
      (childEdges(tx.g, node).some((e) => e.name === 'backing') || headerNamesBacking(tx, node))
    ) {
      fail(msg.backingMissing(node.name));
    }
  }
  for (const link of ['backing', 'file'] as const) {
    if (Object.hasOwn(options, link)) relink(tx, entry.name, link, options[link], orphans);
  }
  for (const [key, value] of Object.entries(options)) {
    // node-name stays: a generated name is none of the node's options, so naming it is a change
    if (GENERIC.includes(key) && key !== 'driver' && key !== 'force-share' && key !== 'node-name') continue;
    if (key === 'backing' || key === 'file' || mutable.includes(key)) continue;
    // qjson: options may hold 64-bit integers (bigint) as the wire gave them
    const was = node.options[key];
    if (was === undefined || qjson(value) !== qjson(was)) fail(msg.cannotChangeOption(key));
  }
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
    tx.checkNoCycle(name, child, link);
  }
  if ((old?.child ?? null) === value) return;
  if (old && belowImplicitFilters(tx, old.child) === value) return;
  if (old && tx.mustPeekNode(old.child).implicit) fail(`Cannot replace implicit ${link} child of ${name}`);
  const filter = FILTER_DRIVERS.has(node.driver);
  if (filter && !old) fail(msg.filterWithoutChild(name, node.driver, link));
  if (old && isFrozenLink(tx.g as Graph, name, old.child)) fail(msg.frozenLink(link, name, old.child));
  if (link === 'backing' && !filter && !BACKING_DRIVERS.has(node.driver)) fail(msg.noBackingSupport(node.driver, name));
  if (link === 'file' && !old) fail('Cannot set file child to format node without file child');
  const role = filter ? Role.FILTERED | Role.PRIMARY : link === 'backing' ? Role.COW : old!.role;
  if (old) {
    tx.detachNoperm(old.id);
    orphans.push(old.child);
  }
  if (value !== null) tx.attachChild(name, value, link, role);
  if (link === 'file') {
    const relinked = tx.mustNode(name);
    relinked.filename = nodeFilename(tx.g as Graph, relinked);
  }
}

/** What no parent holds any more after the reopen (and the monitor does not hold) is closed. */
function closeOrphans(tx: Tx, orphans: readonly NodeName[]): void {
  for (const name of orphans) {
    const orphan = tx.peekNode(name);
    if (orphan && !orphan.monitorOwned && orphan.parents.length === 0) closeNode(tx, name);
  }
  tx.refresh();
}

/**
 * bdrv_reopen_multiple(): prepare every entry, take the new options and refresh; then the old
 * children no one holds any more go.
 */
function reopenMultiple(tx: Tx, queue: ReadonlyMap<NodeName, QueueEntry>): void {
  const orphans: NodeName[] = [];
  for (const entry of queue.values()) prepare(tx, entry, orphans);
  for (const entry of queue.values()) {
    const before = tx.peekNode(entry.name);
    if (!before) continue;
    const flags = flagsOf(entry);
    // the same options again change nothing (and would be the base's own object once finished)
    const same = isShallowCopy(entry.options, before.options) && before.readOnlyOption === flags.readOnly && before.autoReadOnly === flags.autoReadOnly;
    if (!same) {
      const draft = tx.mustNode(entry.name);
      draft.options = entry.options;
      draft.readOnlyOption = flags.readOnly;
      draft.autoReadOnly = flags.autoReadOnly;
    }
    const node = tx.mustPeekNode(entry.name);
    tx.stepMachine(node, { type: 'options.changed', readOnly: flags.readOnly, autoReadOnly: flags.autoReadOnly });
    tx.touch(entry.name);
  }
  tx.refresh();
  closeOrphans(tx, orphans);
}

/**
 * bdrv_reopen_set_read_only(): what block jobs do to a base or device node. Keeps the other
 * options; inline children follow; the refresh runs at once.
 */
export function reopenSetReadOnly(tx: Tx, name: NodeName, readOnly: boolean): void {
  reopenMultiple(tx, readOnlyQueue(tx, name, readOnly));
}

/** bdrv_reopen_set_read_only()'s queue: the node with its old options but read-only, its children after it. */
function readOnlyQueue(tx: Tx, name: NodeName, readOnly: boolean): Map<NodeName, QueueEntry> {
  const node = tx.mustPeekNode(name);
  const queue = new Map<NodeName, QueueEntry>();
  enqueue(tx.g as Graph, queue, { name, options: { ...node.options, 'read-only': readOnly }, keepOld: true, inherited: {} });
  return queue;
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

export const blockdevReopen: Command = {
  args: struct(req('options', listOf(blockdevOptions))),
  run(graph, args, env) {
    const queue = new Map<NodeName, QueueEntry>();
    for (const options of args['options'] as BlockdevOptions[]) {
      const name = options['node-name'];
      if (typeof name !== 'string') fail(msg.nodeNameNotSpecified());
      if (!getNode(graph, name)) fail(msg.failedToFindNode(name));
      enqueue(graph, queue, { name, options, keepOld: false, inherited: {} });
    }
    const result = transact(graph, env, (tx) => reopenMultiple(tx, queue));
    return { ...result, reply: {} };
  },
};
