/**
 * Where qemu-storage-daemon is known to abort or crash, permgraph goes on: it answers as QEMU
 * would have answered had it not died, and says so with a `qemu.failure` event naming the failure.
 * Which versions have which failure is each model's rule (src/models/rules.ts); docs/fidelity.md
 * lists them.
 */
import type { GraphEvent } from '../core/events.js';
import { getNode, nodesInOrder, parentEdges } from '../graph/graph.js';
import type { Graph } from '../graph/types.js';
import { rulesOf, type KnownFailure } from '../models/rules.js';
import type { QmpCommand } from '../qapi/reply.js';
import { moduleLoadedAfterForeign } from './block-modules.js';

interface FailureRule {
  /** What the daemon does, for people to read. */
  readonly text: string;
  /** Whether this step (a command, or a move of the clock: command null) meets the failure. */
  readonly meets: (before: Graph, after: Graph, command: QmpCommand | null) => boolean;
}

const nullCoNegativeSize = (command: QmpCommand | null): boolean => {
  if (command?.execute !== 'blockdev-add') return false;
  const args = command.arguments ?? {};
  const size = args['size'];
  return (args['driver'] === 'null-co' || args['driver'] === 'null-aio') && (typeof size === 'number' || typeof size === 'bigint') && size < 0;
};

/** Whole-chain streams (no base) concluded and kept (auto-dismiss off), by id. */
const concludedWholeChainStreams = (graph: Graph): string[] =>
  Object.values(graph.jobs)
    .filter((job) => job.status === 'concluded' && !job.autoDismiss && job.plan.kind === 'stream' && job.plan.base === null)
    .map((job) => job.id);

/**
 * bdrv_inactivate_recurse() reached a child that was inactive already, from a parent it has just
 * inactivated, and no active node holds the child: QEMU asserts that only the top can be so.
 */
const inactivatedOntoInactiveChild = (before: Graph, after: Graph): boolean =>
  nodesInOrder(after).some((child) => {
    if (!getNode(before, child.name)?.inactive || !child.inactive) return false;
    const parents = parentEdges(after, child).flatMap((e) => (e.parent.kind === 'node' ? [e.parent.node] : []));
    const now = parents.map((name) => getNode(after, name));
    return now.every((p) => p?.inactive) && parents.some((name) => getNode(before, name)?.inactive === false);
  });

/** Mirror jobs (by id) whose target is a blkverify node. */
const mirrorsOntoBlkverify = (graph: Graph): string[] =>
  Object.values(graph.jobs)
    .filter((job) => job.plan.kind === 'mirror' && !job.plan.isCommit && getNode(graph, job.plan.target)?.driver === 'blkverify')
    .map((job) => job.id);

const FAILURES: Readonly<Record<KnownFailure, FailureRule>> = {
  'null-co-negative-size': {
    text: "blockdev-add of a null-co or null-aio node with a negative size aborts the daemon (SIGABRT: parse_option_size()'s error is fatal where null_file_open() parses it)",
    meets: (_before, _after, command) => nullCoNegativeSize(command),
  },
  'stream-whole-chain-concluded': {
    text: 'a block-stream of the whole chain (no base) left concluded with auto-dismiss off crashes the daemon (SIGSEGV) at the next query-named-block-nodes',
    meets: (before, after) => {
      const already = new Set(concludedWholeChainStreams(before));
      return concludedWholeChainStreams(after).some((id) => !already.has(id));
    },
  },
  'mirror-onto-blkverify': {
    text: "a mirror onto a blkverify node aborts the daemon as the job starts (SIGABRT: bdrv_co_do_pwrite_zeroes()'s assert(!bs->supported_zero_flags): blkverify claims zero flags but has no .bdrv_co_pwrite_zeroes)",
    meets: (before, after) => {
      const already = new Set(mirrorsOntoBlkverify(before));
      return mirrorsOntoBlkverify(after).some((id) => !already.has(id));
    },
  },
  'block-module-after-foreign': {
    text: "a blockdev-add that loads a block module after a module of another build was refused aborts the daemon (SIGABRT: module_load_dso()'s assert(QTAILQ_EMPTY(&dso_init_list)); src/commands/block-modules.ts)",
    meets: (before, after) => moduleLoadedAfterForeign(before, after),
  },
  'inactivate-inactive-child': {
    text: "inactivating a node whose child is inactive already (a reopen with active=false made it so under an active parent) aborts the daemon (SIGABRT: bdrv_inactivate_recurse()'s assert(top_level))",
    meets: (before, after, command) => (command?.execute === 'blockdev-set-active' || command?.execute === 'blockdev-snapshot') && inactivatedOntoInactiveChild(before, after),
  },
};

/** The `qemu.failure` events of one step in the graph's model (none in a model that follows no QEMU). */
export function knownFailureEvents(before: Graph, after: Graph, command: QmpCommand | null): GraphEvent[] {
  const rules = rulesOf(after.model);
  if (!rules.qemu) return [];
  const version = `${rules.qemu.major}.${rules.qemu.minor}`;
  return rules.knownFailures
    .filter((failure) => FAILURES[failure].meets(before, after, command))
    .map((failure) => ({ type: 'qemu.failure', failure, text: `QEMU ${version} would die here: ${FAILURES[failure].text}` }));
}
