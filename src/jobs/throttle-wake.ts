/**
 * QEMU 7.2 cuts a throttled job's rate-limit sleep short whenever something wakes it
 * (job_sleep_ns(): entering the job drops its timer):
 * - a job-resume after a pause (job_pause() woke it, and it paused where it slept);
 * - a block-job-set-speed above the speed it had (block_job_set_speed_locked() enters a job whose
 *   timer is pending; one set to 0 too, but an unthrottled job is the clock's to run);
 * - a drain of a node it holds, or of one below such a node (the drain reaches the node's parents,
 *   and child_job_drained_begin() pauses the job until the drained section ends). A node is
 *   drained when a BlockBackend lets it go (blk_remove_bs()'s blk_drain()), when a blockdev-add
 *   names it as `file` (the BlockBackend bdrv_open_inherit() probes it with), and when it or a
 *   node above it is reopened, by a refused command too; a transaction (a snapshot command,
 *   drive-backup, blockdev-backup) drains every node first. A new parent alone does not drain it.
 * A woken job takes its next step at once: a mirror its next iteration (all copied: it turns
 * ready), a commit or stream its next step that copies (none left: it completes). QEMU 10.0
 * sleeps the rest of the delay out (block_job_ratelimit_sleep()). A backup's block-copy, which
 * sleeps in its own rate limit, is not simulated.
 */
import type { GraphEvent } from '../core/events.js';
import type { Tx } from '../core/tx-state.js';
import { getEdge, getJob, getNode, parentEdges } from '../graph/graph.js';
import type { Graph, Job, NodeName } from '../graph/types.js';
import type { ByteRange } from '../graph/bitmap-bits.js';
import { rulesOf } from '../models/rules.js';
import type { QmpCommand } from '../qapi/reply.js';
import { workDone } from './clock.js';
import { afterReply, draftJob } from './job-graph.js';
import { mirrorBuffer, mirrorCopied } from './mirror-progress.js';
import { nextCopy } from './chunk-steps.js';
import { writeStep } from './step-writes.js';
import { isPermissionRefusal } from '../messages/permission-refusals.js';

/** A job asleep in its rate limit: running, with a speed. */
const sleeping = (job: Job | undefined): job is Job => job?.status === 'running' && job.speed > 0;

/** Commands that run as a transaction (blockdev_do_action()): qmp_transaction() drains every node first (bdrv_drain_all()). */
const DRAINS_ALL: ReadonlySet<unknown> = new Set(['transaction', 'blockdev-snapshot-sync', 'blockdev-snapshot', 'blockdev-snapshot-internal-sync', 'drive-backup', 'blockdev-backup']);

/**
 * The nodes a command drains by what it names, once past its arguments' checks, whether it goes on
 * to succeed or not: a blockdev-add's `file` named by reference (bdrv_open_inherit() inserts it
 * into a BlockBackend of its own to probe the image, and lets it go again); a blockdev-reopen's
 * nodes with their subtrees (bdrv_reopen_queue() drains them).
 */
function namedDrains(graph: Graph, command: QmpCommand): NodeName[] {
  const args = command.arguments ?? {};
  const file = args['file'];
  // qmp_blockdev_add() asks for a node-name before it opens anything
  if (command.execute === 'blockdev-add') return typeof file === 'string' && getNode(graph, file) && typeof args['node-name'] === 'string' ? [file] : [];
  if (command.execute !== 'blockdev-reopen') return [];
  const options = Array.isArray(args['options']) ? (args['options'] as { 'node-name'?: unknown }[]) : [];
  return options.flatMap((o) => (typeof o['node-name'] === 'string' && getNode(graph, o['node-name']) ? subtree(graph, o['node-name']) : []));
}

/** The nodes below `name`, itself included. */
function subtree(graph: Graph, name: NodeName): NodeName[] {
  const found = new Set<NodeName>([name]);
  for (const at of found) for (const id of getNode(graph, at)?.children ?? []) found.add(getEdge(graph, id)?.child ?? at);
  return [...found];
}

/** One command as the wake judges it: what its transaction did (a refused one's too), whether its handler ran, and its refusal. */
export interface WakeStep {
  readonly did: readonly GraphEvent[];
  readonly ran: boolean;
  readonly refusal?: string;
}

/**
 * What the step drained, and every node above those (the drain reaches the parents): what the
 * command drains by what it names, once its arguments passed, and what its transaction did: a
 * BlockBackend that let its node go, one a refused command had put on a node (its failure path
 * lets it go again; blk_insert_bs() fails only on permissions, and then never held the node), and
 * a reopen.
 */
function drained(before: Graph, command: QmpCommand, step: WakeStep): Set<NodeName> {
  const nodes = new Set<NodeName>(step.ran ? namedDrains(before, command) : []);
  const released = step.refusal !== undefined && !isPermissionRefusal(step.refusal);
  for (const e of step.did) {
    if ((e.type === 'edge.detached' || (released && e.type === 'edge.attached')) && isBackend(e.parent)) nodes.add(e.child);
    else if (e.type === 'reopen.started') for (const below of subtree(before, e.node)) nodes.add(below);
  }
  for (const at of nodes) {
    const node = getNode(before, at);
    for (const edge of node ? parentEdges(before, node) : []) if (edge.parent.kind === 'node') nodes.add(edge.parent.node);
  }
  return nodes;
}

/** Whether an edge event's parent is a BlockBackend: not a node (its name has no space), not a job's own edge (`job ID`). */
const isBackend = (parent: string): boolean => parent.includes(' ') && !/^job \S+$/.test(parent);

/** The job a job verb names. */
const named = (graph: Graph, command: QmpCommand): Job | undefined => {
  const id = command.arguments?.['id'] ?? command.arguments?.['device'];
  return typeof id === 'string' ? getJob(graph, id) : undefined;
};

/** The jobs asleep in their rate limit that the step woke (QEMU 7.2), by id. */
export function wokenJobs(before: Graph, after: Graph, command: QmpCommand, step: WakeStep): string[] {
  if (!rulesOf(before.model).throttledSleepCutShort || Object.keys(before.jobs).length === 0) return [];
  const woken = new Set<string>();
  const job = named(before, command);
  if ((command.execute === 'job-resume' || command.execute === 'block-job-resume') && job?.status === 'paused' && job.speed > 0) woken.add(job.id);
  const speed = command.arguments?.['speed'];
  if (command.execute === 'block-job-set-speed' && sleeping(job) && typeof speed === 'number' && speed > job.speed) woken.add(job.id);
  const nodes = drained(before, command, step);
  const all = step.ran && DRAINS_ALL.has(command.execute);
  for (const each of Object.values(before.jobs)) {
    if (sleeping(each) && (all || each.edges.some((id) => nodes.has(getEdge(before, id)?.child ?? '')))) woken.add(each.id);
  }
  return [...woken].filter((id) => getJob(after, id)?.status === 'running');
}

/**
 * The job's next step, or null where it ends its work: a mirror's next iteration copies its next
 * buffer (none left: it turns ready); a commit's or stream's next step that copies (chunk-steps.ts;
 * none left: it completes), written into its image. Undefined for a backup.
 */
function nextStep(graph: Graph, job: Job): ByteRange | null | undefined {
  const { plan } = job;
  if (plan.kind === 'mirror') {
    const copied = mirrorCopied(graph, job);
    return copied < job.len ? [copied, Math.min(job.len, copied + mirrorBuffer(graph, plan))] : null;
  }
  if (plan.kind !== 'commit' && plan.kind !== 'stream') return undefined;
  // its progress counts the steps it took (the first as it started: step-writes.ts)
  return nextCopy(graph, job, job.offset);
}

/** The woken job takes its next step at once. */
export function wakeJob(tx: Tx, id: string): void {
  const job = getJob(tx.g as Graph, id);
  if (job?.status !== 'running') return;
  const next = nextStep(tx.g as Graph, job);
  if (next === undefined) return;
  if (next !== null) {
    if (job.plan.kind !== 'mirror') writeStep(tx, job, next);
    draftJob(tx, id).offset = next[1];
    return;
  }
  afterReply(tx, () => {
    draftJob(tx, id).offset = job.len;
    workDone(tx, id);
  });
}
