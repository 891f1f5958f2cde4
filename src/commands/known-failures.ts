/**
 * Where qemu-storage-daemon is known to abort or crash, permgraph goes on: it answers as QEMU
 * would have answered had it not died, and says so with a `qemu.failure` event naming the failure.
 * Which versions have which failure is each model's rule (src/models/rules.ts); docs/fidelity.md
 * lists them.
 */
import type { GraphEvent } from '../core/events.js';
import type { TxEnv } from '../core/tx-state.js';
import { getNode, nodesInOrder, parentEdges } from '../graph/graph.js';
import type { BlockNode, Graph, NodeName } from '../graph/types.js';
import { rulesOf, type KnownFailure } from '../models/rules.js';
import type { QmpCommand } from '../qapi/reply.js';
import { dispatch } from './dispatch.js';

type Signal = 'SIGABRT' | 'SIGSEGV';

interface FailureRule {
  /** What the daemon does, for people to read. */
  readonly text: string;
  /** The signal it dies of (by the command, where that decides it). */
  readonly signal: Signal | ((command: QmpCommand | null) => Signal);
  /** It goes on after the step, and dies when it quits. */
  readonly atExit?: true;
  /**
   * Whether this step (a command, or a move of the clock: command null) meets the failure, given
   * what it did (its events; for a refused command, what its transaction did before the refusal).
   */
  readonly meets: (before: Graph, after: Graph, command: QmpCommand | null, env: TxEnv, did: readonly GraphEvent[], ran: boolean) => boolean;
}

const nullCoNegativeSize = (command: QmpCommand | null): boolean => {
  if (command?.execute !== 'blockdev-add') return false;
  const args = command.arguments ?? {};
  const size = args['size'];
  return (args['driver'] === 'null-co' || args['driver'] === 'null-aio') && (typeof size === 'number' || typeof size === 'bigint') && size < 0;
};

/** Streams concluded and kept (auto-dismiss off), by id: with a base or without, data copied or none. */
const concludedStreams = (graph: Graph): string[] =>
  Object.values(graph.jobs)
    .filter((job) => job.status === 'concluded' && !job.autoDismiss && job.plan.kind === 'stream')
    .map((job) => job.id);

/**
 * bdrv_inactivate_recurse() reached a child that is inactive already, not as the top of the
 * inactivation, and no active node holds the child: QEMU asserts that only the top can be so. The
 * child was inactive before and a parent that held it was inactivated now (a reopen with
 * active=false made it so), or a parent inactivated now holds it twice (a blkverify with the same
 * node as `test` and `raw`): the first visit inactivated it.
 */
const inactivatedOntoInactiveChild = (before: Graph, after: Graph): boolean =>
  nodesInOrder(after).some((child) => {
    const was = getNode(before, child.name);
    if (!was || !child.inactive) return false;
    const parents = nodeParents(after, child);
    if (!parents.every((name) => getNode(after, name)?.inactive)) return false;
    // edges from parents inactivated now that held the child already (one that took the child
    // after its own inactivation, as blockdev-snapshot's overlay does, never recursed into it)
    const visits = nodeParents(before, was).filter((name) => getNode(before, name)?.inactive === false && getNode(after, name)?.inactive).length;
    return visits + (was.inactive ? 1 : 0) >= 2;
  });

const nodeParents = (graph: Graph, node: BlockNode): NodeName[] => parentEdges(graph, node).flatMap((e) => (e.parent.kind === 'node' ? [e.parent.node] : []));

/**
 * blockdev-add of a node with a child named by reference that runs in an iothread: QEMU 7.2's
 * bdrv_attach_child_common() moves the child's AioContext and unlocks a lock it does not hold.
 * A `file` so named is taken before the driver opens, whatever it then refuses: once the
 * arguments passed (`ran`), bdrv_open_inherit() puts it into a BlockBackend of its own to probe.
 */
function attachedIothreadChild(before: Graph, command: QmpCommand | null, did: readonly GraphEvent[], ran: boolean): boolean {
  if (command?.execute !== 'blockdev-add') return false;
  const file = command.arguments?.['file'];
  if (ran && typeof file === 'string' && getNode(before, file)?.iothread !== undefined) return true;
  const added = command.arguments?.['node-name'];
  if (typeof added !== 'string' || getNode(before, added)) return false;
  // bdrv_attach_child_common() dies as it moves the child, whatever would have failed after it
  return did.some((e) => e.type === 'edge.attached' && e.parent === added && getNode(before, e.child)?.iothread !== undefined);
}

/**
 * block_resize whose truncate went through a replication node: replication passes it to its
 * child (bdrv_co_truncate() of a filter without .bdrv_co_truncate), but its edge does not hold
 * RESIZE (replication_child_perm()), and bdrv_co_write_req_prepare() asserts that it does.
 */
function resizedThroughReplication(before: Graph, after: Graph, command: QmpCommand | null): boolean {
  if (command?.execute !== 'block_resize' || before.nodes === after.nodes) return false;
  return nodesInOrder(after).some((node) => node.driver === 'replication' && getNode(before, node.name)?.size !== node.size);
}

/** Mirror jobs (by id) whose target is a blkverify node. */
const mirrorsOntoBlkverify = (graph: Graph): string[] =>
  Object.values(graph.jobs)
    .filter((job) => job.plan.kind === 'mirror' && !job.plan.isCommit && getNode(graph, job.plan.target)?.driver === 'blkverify')
    .map((job) => job.id);

interface TransactionAction {
  readonly type?: unknown;
  readonly data?: { readonly device?: unknown; readonly node?: unknown; readonly 'node-name'?: unknown; readonly 'snapshot-node-name'?: unknown };
}

/** Whether `name` is a root node of the graph, or gone from it (dropped, as nothing held it). */
const rootOrGone = (graph: Graph, name: string): boolean => {
  const node = getNode(graph, name);
  return !node || parentEdges(graph, node).every((e) => e.parent.kind !== 'node');
};

/**
 * QEMU 7.2's transaction: an internal snapshot's .clean ends the drain of the root node its
 * .prepare found (internal_snapshot_clean()), after an earlier blockdev-snapshot-sync's .clean has
 * dropped its reference to the overlay it made (external_snapshot_clean()). Where that overlay is
 * the internal snapshot's node and nothing else holds it by then (the transaction failed, or it has
 * no parent), the drain ends on a freed node. The prepares before the internal snapshot's must all
 * succeed, and the overlay be a root node then (qmp_get_root_bs()), for it to be found. So too a
 * later blockdev-snapshot-sync of that overlay in a transaction that fails: the aborts take both
 * overlays out again, and its .clean ends the drain of the overlay the earlier one freed; and a
 * later blockdev-snapshot onto that overlay (its `node`) in a transaction that fails:
 * external_snapshot_prepare() drains the node as soon as it finds it, whatever fails after.
 */
function drainsFreedOverlay(before: Graph, after: Graph, command: QmpCommand | null, env: TxEnv): boolean {
  if (command?.execute !== 'transaction') return false;
  const args = command.arguments ?? {};
  const properties = args['properties'] as { readonly 'completion-mode'?: unknown } | undefined;
  if (!Array.isArray(args['actions']) || properties?.['completion-mode'] === 'grouped') return false;
  const actions = args['actions'] as readonly TransactionAction[];
  const overlays = new Set<unknown>();
  const failed = (): boolean => !('return' in dispatch(before, env, command).reply);
  const prepared = (end: number) => dispatch(before, env, { execute: 'transaction', arguments: { actions: actions.slice(0, end) } });
  return actions.some((action, index) => {
    const node = action.type === 'blockdev-snapshot-sync' ? action.data?.['node-name'] : action.type === 'blockdev-snapshot' ? action.data?.node : action.data?.device;
    const drainsOverlay = overlays.has(node) && typeof node === 'string';
    if (action.type === 'blockdev-snapshot-sync') overlays.add(action.data?.['snapshot-node-name']);
    if (!drainsOverlay) return false;
    if (action.type === 'blockdev-snapshot-sync') return 'return' in prepared(index + 1).reply && failed();
    if (action.type === 'blockdev-snapshot') return 'return' in prepared(index).reply && failed();
    if (action.type !== 'blockdev-snapshot-internal-sync') return false;
    const earlier = prepared(index);
    return 'return' in earlier.reply && rootOrGone(earlier.graph, node) && (!getNode(after, node) || failed());
  });
}

const FAILURES: Readonly<Record<KnownFailure, FailureRule>> = {
  'null-co-negative-size': {
    signal: 'SIGABRT',
    text: "blockdev-add of a null-co or null-aio node with a negative size aborts the daemon (SIGABRT: parse_option_size()'s error is fatal where null_file_open() parses it)",
    meets: (_before, _after, command) => nullCoNegativeSize(command),
  },
  'stream-concluded-kept': {
    signal: 'SIGSEGV',
    text: 'a block-stream left concluded with auto-dismiss off crashes the daemon (SIGSEGV) at the next query-named-block-nodes',
    // reads the jobs alone: none new where they are the same
    meets: (before, after) => {
      if (before.jobs === after.jobs) return false;
      const already = new Set(concludedStreams(before));
      return concludedStreams(after).some((id) => !already.has(id));
    },
  },
  'mirror-onto-blkverify': {
    signal: 'SIGABRT',
    text: "a mirror onto a blkverify node aborts the daemon as the job starts (SIGABRT: bdrv_co_do_pwrite_zeroes()'s assert(!bs->supported_zero_flags): blkverify claims zero flags but has no .bdrv_co_pwrite_zeroes)",
    // reads the jobs and their targets: none new where both are the same
    meets: (before, after) => {
      if (before.jobs === after.jobs && before.nodes === after.nodes) return false;
      const already = new Set(mirrorsOntoBlkverify(before));
      return mirrorsOntoBlkverify(after).some((id) => !already.has(id));
    },
  },
  'internal-snapshot-of-freed-overlay': {
    signal: 'SIGABRT',
    text: "a transaction that takes an internal snapshot of the overlay an earlier blockdev-snapshot-sync of it made, where nothing holds that overlay (or snapshots that overlay again, or puts an overlay onto it, and fails), aborts the daemon (SIGABRT: bdrv_do_drained_end()'s assert(bs->quiesce_counter > 0), on the overlay external_snapshot_clean() has freed)",
    meets: (before, after, command, env) => drainsFreedOverlay(before, after, command, env),
  },
  'attach-iothread-child': {
    signal: (command) => (command?.arguments?.['driver'] === 'qed' ? 'SIGSEGV' : 'SIGABRT'),
    text: "blockdev-add of a node whose child, named by reference, runs in an iothread (x-blockdev-set-iothread, or an export's iothread) aborts the daemon, even where the open would fail after (a `file` so named is taken into a probing BlockBackend before the driver opens) (SIGABRT: 'qemu_mutex_unlock_impl: Operation not permitted' as bdrv_attach_child_common() moves the child into the main loop's AioContext; SIGSEGV for qed)",
    meets: (before, _after, command, _env, did, ran) => attachedIothreadChild(before, command, did, ran),
  },
  'resize-through-replication': {
    signal: 'SIGABRT',
    text: "a block_resize that goes through a replication node aborts the daemon (SIGABRT: bdrv_co_write_req_prepare()'s assert(child->perm & BLK_PERM_RESIZE), as replication's edge to its child takes no resize)",
    meets: (before, after, command) => resizedThroughReplication(before, after, command),
  },
  'resize-iothread-node': {
    signal: 'SIGABRT',
    atExit: true,
    text: "a block_resize of a node that runs in an iothread succeeds, but the daemon aborts when it quits (SIGABRT), after qmp_block_resize() ran in the node's AioContext and its temporary BlockBackend took the node back to the main loop's",
    meets: (before, after, command) => command?.execute === 'block_resize' && nodesInOrder(before).some((node) => node.iothread !== undefined && getNode(after, node.name)?.iothread === undefined),
  },
  'inactivate-inactive-child': {
    signal: 'SIGABRT',
    text: "inactivating a node whose child is inactive already (a reopen with active=false made it so under an active parent), or that holds one child twice, aborts the daemon (SIGABRT: bdrv_inactivate_recurse()'s assert(top_level))",
    meets: (before, after, command) => (command?.execute === 'blockdev-set-active' || command?.execute === 'blockdev-snapshot') && inactivatedOntoInactiveChild(before, after),
  },
};

const signalOf = (rule: FailureRule, command: QmpCommand | null): Signal => (typeof rule.signal === 'function' ? rule.signal(command) : rule.signal);

/** The `qemu.failure` events of one step in the graph's model (none in a model that follows no QEMU). */
export function knownFailureEvents(before: Graph, after: Graph, command: QmpCommand | null, env: TxEnv, did: readonly GraphEvent[] = [], ran = false): GraphEvent[] {
  const rules = rulesOf(after.model);
  if (!rules.qemu) return [];
  const version = `${rules.qemu.major}.${rules.qemu.minor}`;
  return rules.knownFailures
    .filter((failure) => FAILURES[failure].meets(before, after, command, env, did, ran))
    .map((failure): GraphEvent => {
      const { atExit, text } = FAILURES[failure];
      const when = atExit ? 'would die when it quits' : 'would die here';
      return { type: 'qemu.failure', failure, signal: signalOf(FAILURES[failure], command), text: `QEMU ${version} ${when}: ${text}`, ...(atExit ? { atExit } : {}) };
    });
}
