/**
 * What block jobs do to the graph, as transaction steps: their own edges and internal
 * BlockBackends, the filter nodes they put in and take out, and their status changes with the QMP
 * events QEMU sends for them.
 */
import { JOB_CHART_TRANSITIONS } from '../../machines/job.chart.js';
import { insertBackend, removeBackend } from '../core/backends.js';
import { attachNoperm, detachNoperm, replaceNodeNoperm } from '../core/links.js';
import { openNode } from '../core/nodes.js';
import { refresh } from '../core/refresh.js';
import type { Tx } from '../core/tx-state.js';
import { getJob } from '../graph/graph.js';
import type { BackendOwner, Graph, Job, JobStatus, NodeName } from '../graph/types.js';
import type { PermSet } from '../perms/perm.js';
import { closeNode } from '../core/close.js';
import { assignNodeName, generateName } from '../core/open.js';

type DraftJob = { -readonly [K in keyof Job]: Job[K] extends readonly (infer T)[] ? T[] : Job[K] };

export function draftJob(tx: Tx, id: string): DraftJob {
  const job = getJob(tx.g as Graph, id);
  if (!job) throw new Error(`internal: job '${id}' is missing`);
  return job as unknown as DraftJob;
}

/**
 * job_state_transition(), announced with JOB_STATUS_CHANGE. The job chart draws every change a
 * job makes: one it does not draw is a fault of the simulator's own.
 */
export function setJobStatus(tx: Tx, id: string, status: JobStatus): void {
  const job = draftJob(tx, id);
  if (!JOB_CHART_TRANSITIONS[job.status].includes(status)) {
    throw new Error(`internal: job '${id}' cannot go from ${job.status} to ${status}`);
  }
  job.status = status;
  tx.emit({ type: 'qmp.event', event: 'JOB_STATUS_CHANGE', data: { id, status } });
}

/**
 * What QEMU does only after the command's reply: the graph changes in the same transaction (no
 * command can run in between), but the events `work` emits are marked `deferred`. It is the last
 * step of a command, so a command's deferred events follow all of its sync ones.
 */
export function afterReply(tx: Tx, work: () => void): void {
  const from = tx.events.length;
  try {
    work();
  } finally {
    for (let i = from; i < tx.events.length; i++) tx.events[i] = { ...tx.events[i]!, phase: 'deferred' };
  }
}

/** The data of BLOCK_JOB_READY / COMPLETED / CANCELLED / PENDING events. */
export function blockJobEventData(job: Job): Record<string, unknown> {
  return { type: job.type, device: job.id, len: job.len, offset: job.offset, speed: job.speed };
}

export function emitBlockJobEvent(tx: Tx, event: string, job: Job, extra: Record<string, unknown> = {}): void {
  const data = event === 'BLOCK_JOB_PENDING' ? { type: job.type, id: job.id } : { ...blockJobEventData(job), ...extra };
  tx.emit({ type: 'qmp.event', event, data });
}

/** block_job_add_bdrv(): a job edge (no role bits) with the perms asked; refreshed at once. */
export function addJobEdge(tx: Tx, id: string, name: string, node: NodeName, perm: PermSet, shared: PermSet): void {
  const job = draftJob(tx, id);
  const edge = attachNoperm(tx, { kind: 'job', job: id, jobType: job.type }, node, name, 0, perm, shared);
  job.edges.push(edge.id);
  refresh(tx);
}

/** block_job_remove_all_bdrv(): the job lets go of every node; those only it held go too. */
export function removeJobEdges(tx: Tx, id: string): void {
  const job = draftJob(tx, id);
  const held = job.edges.map((edge) => tx.peekEdge(edge).child);
  for (const edge of job.edges) detachNoperm(tx, edge);
  job.edges = [];
  refresh(tx);
  for (const name of held) closeIfOrphan(tx, name);
}

export function addJobBackend(tx: Tx, id: string, node: NodeName, perm: PermSet, shared: PermSet): number {
  const owner: BackendOwner = { kind: 'job', id };
  const backend = insertBackend(tx, owner, node, perm, shared);
  draftJob(tx, id).backends.push(backend);
  return backend;
}

export function removeJobBackends(tx: Tx, id: string): void {
  const job = draftJob(tx, id);
  for (const backend of job.backends) removeBackend(tx, backend);
  job.backends = [];
}

/**
 * A job's filter node (commit_top, mirror_top, copy-on-read, copy-before-write), named by the
 * user's filter-node-name or generated, implicit when generated.
 */
export function newFilterNode(
  tx: Tx,
  driver: 'commit_top' | 'mirror_top' | 'copy-on-read' | 'copy-before-write',
  filterName: string | undefined,
  readOnly: boolean,
  options: Record<string, unknown> = {},
): NodeName {
  if (filterName !== undefined) assignNodeName(tx, filterName);
  const name = filterName ?? generateName(tx);
  openNode(tx, {
    name,
    generated: filterName === undefined,
    driver,
    options: { driver, ...options },
    readOnly,
    autoReadOnly: false,
    forceShare: false,
    monitorOwned: false,
    inheritsFrom: null,
    // a job's own filter is implicit unless named; backup's copy-before-write never is
    // (bdrv_cbw_append() leaves bs->implicit unset), so its parents' json:{…} names show it
    implicit: filterName === undefined && driver !== 'copy-before-write',
  });
  return name;
}

/**
 * bdrv_drop_filter(): the filter's parents move to the node below it and, in the same step, the
 * filter lets go of that node. The filter itself goes once nothing holds it (a job's main node
 * edge may still do so until the job is dismissed).
 */
export function dropFilter(tx: Tx, filter: NodeName): void {
  const node = tx.node(filter);
  if (!node) return;
  const below = node.children.map((id) => tx.edge(id)).find((e) => e.name === 'backing' || e.name === 'file');
  if (below) {
    replaceNodeNoperm(tx, filter, below.child);
    detachNoperm(tx, below.id);
  }
  refresh(tx);
  closeIfOrphan(tx, filter);
}

/** A node only a job or a filter held (not the monitor) goes when nothing holds it any more. */
export function closeIfOrphan(tx: Tx, name: NodeName): void {
  const node = tx.node(name);
  if (node && !node.monitorOwned && node.parents.length === 0) {
    closeNode(tx, name);
    refresh(tx);
  }
}
