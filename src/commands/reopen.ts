/**
 * blockdev-reopen (blockdev.c: qmp_blockdev_reopen(); block.c: bdrv_reopen_queue_child(),
 * bdrv_reopen_prepare(), bdrv_reopen_multiple()). One transaction: every queued node takes its
 * new options, links change, then one refresh decides; any failure changes nothing.
 */
import { isShallowCopy } from '../core/draft.js';
import { fail } from '../core/errors.js';
import { msg } from '../core/messages.js';
import type { BlockdevOptions } from '../core/open.js';
import { transact, type Tx } from '../core/tx.js';
import { Role } from '../drivers/roles.js';
import { childEdges, getNode } from '../graph/graph.js';
import type { DriverName, Graph, NodeName } from '../graph/types.js';
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

/** bdrv_reopen_queue_child(): the node, then its inline children that are not re-pointed. */
function enqueue(graph: Graph, queue: Map<NodeName, QueueEntry>, entry: QueueEntry): void {
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
    const keepOld = ref !== undefined && !inline;
    const inherited = edge.role & Role.COW
      ? { readOnly: true, autoReadOnly: false }
      : keepOld
        ? { readOnly: stated.readOnly ?? child.readOnlyOption, autoReadOnly: stated.autoReadOnly ?? child.autoReadOnly }
        : parentFlags;
    const options: BlockdevOptions = inline
      ? { ...(ref as BlockdevOptions), 'node-name': child.name }
      : ref === undefined
        ? { driver: child.driver, ...pickChildOptions(child.options) }
        : child.options;
    enqueue(graph, queue, { name: child.name, options, keepOld, inherited });
  }
}

/** An inline child reopened without options of its own keeps what identifies it. */
function pickChildOptions(options: BlockdevOptions): BlockdevOptions {
  const { 'read-only': _ro, 'auto-read-only': _aro, ...rest } = options;
  return rest;
}

function prepare(tx: Tx, entry: QueueEntry): void {
  const node = tx.mustPeekNode(entry.name);
  const { options } = entry;
  const mutable = MUTABLE[node.driver] ?? [];
  if (!entry.keepOld) {
    for (const key of Object.keys(node.options)) {
      if (!(key in options) && !RESETTABLE.includes(key) && !mutable.includes(key) && key !== 'backing') {
        fail(`Option '${key}' cannot be reset to its default value`);
      }
    }
    if (node.driver === 'qcow2' && !('backing' in options) && childEdges(tx.g, node).some((e) => e.name === 'backing')) {
      fail(msg.backingMissing(node.name));
    }
  }
  for (const link of ['backing', 'file'] as const) {
    if (link in options) relink(tx, entry.name, link, options[link]);
  }
  for (const [key, value] of Object.entries(options)) {
    if (GENERIC.includes(key) && key !== 'driver' && key !== 'force-share') continue;
    if (key === 'backing' || key === 'file' || mutable.includes(key)) continue;
    if (JSON.stringify(value) !== JSON.stringify(node.options[key])) fail(msg.cannotChangeOption(key));
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

/** bdrv_reopen_parse_file_or_backing(): point `backing` (or `file`) at another node or none. */
function relink(tx: Tx, name: NodeName, link: 'backing' | 'file', value: unknown): void {
  if (typeof value !== 'string' && value !== null) return;
  const node = tx.mustPeekNode(name);
  const old = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === link);
  if (value !== null && !tx.peekNode(value)) fail(msg.cannotFindDevice('', value));
  if ((old?.child ?? null) === value) return;
  if (old && belowImplicitFilters(tx, old.child) === value) return;
  if (old && tx.mustPeekNode(old.child).implicit) fail(`Cannot replace implicit ${link} child of ${name}`);
  if (link === 'file' && !old) fail('Cannot set file child to format node without file child');
  const role = link === 'backing' ? Role.COW : old!.role;
  if (old) {
    const oldChild = old.child;
    tx.detachNoperm(old.id);
    const orphan = tx.mustPeekNode(oldChild);
    if (!orphan.monitorOwned && orphan.parents.length === 0) closeNode(tx, oldChild);
  }
  if (value !== null) tx.attachChild(name, value, link, role);
  if (link === 'file') {
    const relinked = tx.mustNode(name);
    relinked.filename = nodeFilename(tx.g as Graph, relinked);
  }
}

/** bdrv_reopen_multiple(): prepare every entry, then take the new options; the caller refreshes. */
function reopenMultiple(tx: Tx, queue: ReadonlyMap<NodeName, QueueEntry>): void {
  for (const entry of queue.values()) prepare(tx, entry);
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
}

/**
 * bdrv_reopen_set_read_only(): what block jobs do to a base or device node. Keeps the other
 * options; inline children follow; the refresh runs at once.
 */
export function reopenSetReadOnly(tx: Tx, name: NodeName, readOnly: boolean): void {
  const node = tx.mustNode(name);
  const queue = new Map<NodeName, QueueEntry>();
  enqueue(tx.g as Graph, queue, {
    name,
    options: { ...node.options, 'read-only': readOnly },
    keepOld: true,
    inherited: {},
  });
  reopenMultiple(tx, queue);
  tx.refresh();
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
