/**
 * The reopen queue (block.c: bdrv_reopen_queue_child()): the nodes a reopen reaches, each with its
 * new options and the read-only flags it inherits, in the order QEMU prepares them.
 */
import { Role } from '../drivers/roles.js';
import { childEdges, getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import type { BlockdevOptions } from './open.js';
import type { Tx } from './tx-state.js';

export interface QueueEntry {
  readonly name: NodeName;
  readonly options: BlockdevOptions;
  /** Child reopened with its old options (bdrv_reopen_queue_child() keep_old_opts). */
  readonly keepOld: boolean;
  /**
   * What a child takes from its parent: read-only flags, `discard: unmap` as its default, and the
   * parent's BDRV_O_INACTIVE as the reopen leaves it (none: the node's own flag).
   */
  readonly inherited: { readonly readOnly?: boolean; readonly autoReadOnly?: boolean; readonly discard?: string; readonly inactive?: boolean };
}

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export function flagsOf(entry: QueueEntry): { readOnly: boolean; autoReadOnly: boolean } {
  return {
    readOnly: bool(entry.options['read-only']) ?? entry.inherited.readOnly ?? false,
    autoReadOnly: bool(entry.options['auto-read-only']) ?? entry.inherited.autoReadOnly ?? false,
  };
}

/**
 * The node's BDRV_O_INACTIVE once the reopen commits: what its parent's (or, at the top, its own)
 * flags give, set by `active: false`; `active: true` clears nothing (update_flags_from_options()).
 */
export function inactiveAfter(entry: QueueEntry, inactiveNow: boolean): boolean {
  return entry.options['active'] === false || (entry.inherited.inactive ?? inactiveNow);
}

/**
 * bdrv_reopen_queue_child(): the node, then its inline children that are not re-pointed, depth
 * first (a work list: chains of any length).
 */
export function enqueue(graph: Graph, queue: Map<NodeName, QueueEntry>, first: QueueEntry): void {
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
        ? { readOnly: stated.readOnly ?? child.machine.context.readOnly, autoReadOnly: stated.autoReadOnly ?? child.machine.context.autoReadOnly }
        : parentFlags;
    // a generated name is no option of the child's (bs->options): only the client's would be compared
    const options: BlockdevOptions = inline
      ? { ...(child.generated ? {} : { 'node-name': child.name }), ...(ref as BlockdevOptions) }
      : ref === undefined
        ? { driver: child.driver, ...pickChildOptions(child.options) }
        : child.options;
    out.push({ name: child.name, options, keepOld, inherited: { ...inherited, discard: 'unmap', inactive: inactiveAfter(entry, node.inactive) } });
  }
  return out;
}

/** An inline child reopened without options of its own keeps what identifies it. */
function pickChildOptions(options: BlockdevOptions): BlockdevOptions {
  const { 'read-only': _ro, 'auto-read-only': _aro, ...rest } = options;
  return rest;
}


/** bdrv_reopen_set_read_only()'s queue: the node with its old options but read-only, its children after it. */
export function readOnlyQueue(tx: Tx, name: NodeName, readOnly: boolean): Map<NodeName, QueueEntry> {
  const node = tx.mustPeekNode(name);
  const queue = new Map<NodeName, QueueEntry>();
  enqueue(tx.g as Graph, queue, { name, options: { ...node.options, 'read-only': readOnly }, keepOld: true, inherited: {} });
  return queue;
}
