/**
 * Starting block jobs, step by step as QEMU 7.2 does (block/commit.c: commit_start(),
 * block/mirror.c: commit_active_start() and mirror_start_job(), block/stream.c: stream_start(),
 * block/backup.c: backup_job_create()). Each runs inside one transaction: any refusal on the way
 * undoes everything before it.
 */
import { castDraft } from 'immer';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { isWellFormedId } from '../core/open.js';
import { attachChild, replaceNodeNoperm } from '../core/links.js';
import { refreshFilename } from '../core/filename-refresh.js';
import { refresh } from '../core/refresh.js';
import type { Tx } from '../core/tx-state.js';
import { Role } from '../drivers/roles.js';
import { getJob } from '../graph/graph.js';
import type { Graph, Job, JobPlan, JobType, NodeName } from '../graph/types.js';
import { Perm, PERM_ALL, type PermSet } from '../perms/perm.js';
import { reopenSetReadOnly } from '../core/reopen.js';
import { belowInChain, chainContains, findOverlay, isFilter, skipFilters } from '../core/chain.js';
import { addJobBackend, addJobEdge, afterReply, draftJob, emitBlockJobEvent, newFilterNode, setJobStatus } from './job-graph.js';
import { runJob } from './lifecycle.js';
import { growBase } from './grow-base.js';
import { writeFirstStep } from './step-writes.js';
import { firstRead } from './first-read.js';
import { backupLength } from './first-chunk.js';
import { checkBitmap, DEFAULT, lookupBitmap } from '../core/bitmap-checks.js';
import { nodeFilename } from '../core/filename.js';

export interface JobOptions {
  readonly id: string;
  readonly speed: number;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  readonly filterNodeName?: string;
  readonly copyMode?: 'write-blocking';
  /** A backup's `discard-source` (QEMU 9.1): its filter takes write on the source. */
  readonly discardSource?: true;
  /** sync=none: a mirror starts with nothing to copy (mirror_dirty_init() is skipped). */
  readonly syncNone?: true;
  /** sync=top: a backup copies only what the source's top image allocates. */
  readonly syncTop?: true;
  /** A backup's or mirror's `on-source-error` (an active commit's `on-error`), where not `report` or `enospc`. */
  readonly onSourceError?: 'stop' | 'ignore';
  /** A mirror's `granularity` and `buf-size`, where given other than 0. */
  readonly mirrorCopy?: { readonly granularity?: number; readonly bufSize?: number };
}

/** A backup's sync bitmap (do_backup_common()): its name, its bitmap-mode, and whether the job copies what it marks (sync=bitmap). */
export interface BackupBitmap {
  readonly name: string;
  readonly mode: 'on-success' | 'never' | 'always';
  readonly syncBitmap: boolean;
}

const { CONSISTENT_READ: CR, WRITE: W, WRITE_UNCHANGED: WU, RESIZE: RS } = Perm;

/** Read-only, and no writer would change that (the node chart's `refuses-writers`): only a reopen does. */
function needsReopen(tx: Tx, name: NodeName): boolean {
  return tx.env.stepper.describe(tx.mustPeekNode(name).machine).refusesWriters;
}

/** job_create(): the job exists (status created) with its main node edge. */
function createJob(tx: Tx, options: JobOptions, type: JobType, device: NodeName, main: NodeName, perm: PermSet, shared: PermSet, plan: JobPlan, len: number): void {
  if (!isWellFormedId(options.id)) fail(msg.invalidJobId(options.id));
  if (getJob(tx.g as Graph, options.id)) fail(msg.jobIdInUse(options.id));
  const job: Job = {
    id: options.id,
    type,
    status: 'undefined',
    seq: tx.nextSeq(),
    autoFinalize: options.autoFinalize,
    autoDismiss: options.autoDismiss,
    speed: options.speed,
    len,
    offset: 0,
    userPaused: false,
    ...(options.copyMode ? { copyMode: options.copyMode } : {}),
    cancelled: false,
    completing: null,
    plan,
    device,
    filter: null,
    edges: [],
    backends: [],
  };
  tx.g.jobs[options.id] = castDraft(job);
  setJobStatus(tx, options.id, 'created');
  addJobEdge(tx, options.id, 'main node', main, perm, shared);
  // block_job_create(): block_job_set_speed() after the main node, so the job fails early
  if (options.speed < 0) fail(msg.negativeSpeed());
}

/** bdrv_append(): a new filter takes `top` as its backing child and `top`'s parents move to it. */
function appendFilter(tx: Tx, filter: NodeName, top: NodeName, role: number): void {
  attachChild(tx, filter, top, 'backing', role);
  replaceNodeNoperm(tx, top, filter);
  refresh(tx);
}

/** bdrv_insert_node(): a new filter opens `node` as its `file` child and takes its parents. */
/**
 * bdrv_insert_node(): the filter opens over `node` (what fails there is prefixed "Could not
 * create node: "), then takes its parents ("Could not replace node: ").
 */
function insertFilter(tx: Tx, filter: NodeName, node: NodeName): void {
  prefixed(msg.couldNotCreateNode, () => {
    attachChild(tx, filter, node, 'file', Role.FILTERED | Role.PRIMARY);
    refresh(tx);
  });
  prefixed(msg.couldNotReplaceNode, () => {
    replaceNodeNoperm(tx, node, filter);
    refresh(tx);
  });
}

/** A refusal inside `step` with QEMU's error_prepend() text before it. */
function prefixed(prefix: (reason: string) => string, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (error instanceof QmpError) fail(prefix(error.desc), error.errorClass);
    throw error;
  }
}

function finishFilter(tx: Tx, filter: NodeName, below: NodeName): void {
  const node = tx.mustNode(filter);
  const child = tx.mustNode(below);
  node.size = child.size;
  // a named filter is named as bdrv_refresh_filename() names it, now that it has its child
  node.filename = node.implicit ? child.filename : nodeFilename(tx.g as Graph, node);
  // the parents it took over name it in their filenames
  for (const id of node.parents) {
    const edge = tx.peekEdge(id);
    if (edge.parent.kind === 'node') refreshFilename(tx, edge.parent.node);
  }
}

/** commit_start(): block-commit of a node below the active layer. */
export function startCommit(tx: Tx, options: JobOptions, device: NodeName, top: NodeName, base: NodeName): void {
  if (top === base) fail(msg.mergeTopIsBase());
  const baseSize = tx.mustPeekNode(base).size;
  const topSize = tx.mustPeekNode(top).size;
  const basePerm = CR | W | (baseSize < topSize ? RS : 0);
  const baseWasReadOnly = needsReopen(tx, base);
  createJob(tx, options, 'commit', device, device, 0, PERM_ALL, { kind: 'commit', top, base, baseWasReadOnly }, topSize);
  if (baseWasReadOnly) reopenSetReadOnly(tx, base, false);
  const filter = newFilterNode(tx, 'commit_top', options.filterNodeName, true);
  appendFilter(tx, filter, top, Role.FILTERED | Role.PRIMARY);
  finishFilter(tx, filter, top);
  draftJob(tx, options.id).filter = filter;
  for (let iter: NodeName | null = top; iter && iter !== base; iter = belowInChain(tx.g as Graph, iter)) {
    const shared = W | WU | (belowInChain(tx.g as Graph, iter) === base && isFilter(tx.mustPeekNode(iter).driver) ? CR : 0);
    addJobEdge(tx, options.id, 'intermediate node', iter, 0, shared);
  }
  addJobEdge(tx, options.id, 'base', base, 0, PERM_ALL);
  addJobBackend(tx, options.id, base, basePerm, CR | WU);
  addJobBackend(tx, options.id, top, 0, PERM_ALL);
  const failure = growBase(tx, base, topSize);
  runJob(tx, options.id, failure);
  if (failure === null) writeFirstStep(tx, options.id);
}

/**
 * mirror_start_job(), for block-commit of the active layer (commit_active_start(): base reopened
 * read-write first) and for blockdev-mirror / drive-mirror.
 */
export function startMirror(
  tx: Tx,
  options: JobOptions,
  type: 'commit' | 'mirror',
  source: NodeName,
  target: NodeName,
  replaces: NodeName | null,
): void {
  const isCommit = chainContains(tx.g as Graph, source, target);
  const baseWasReadOnly = type === 'commit' && needsReopen(tx, target);
  if (baseWasReadOnly) reopenSetReadOnly(tx, target, false);
  if ((options.mirrorCopy?.bufSize ?? 0) < 0) fail(msg.mirrorBufSizeInvalid());
  if (skipFilters(tx.g as Graph, source) === skipFilters(tx.g as Graph, target)) fail(msg.mirrorIntoItself());
  const filter = newFilterNode(tx, 'mirror_top', options.filterNodeName, false, { 'x-is-commit': isCommit });
  appendFilter(tx, filter, source, Role.FILTERED | Role.PRIMARY);
  finishFilter(tx, filter, source);
  const onSourceError = options.onSourceError ? { onSourceError: options.onSourceError } : {};
  const copy = options.mirrorCopy ? { copy: options.mirrorCopy } : {};
  const plan: JobPlan = { kind: 'mirror', source, target, isCommit, baseWasReadOnly, replaces, ...onSourceError, ...(options.syncTop ? { onlyTop: true as const } : {}), ...copy };
  createJob(tx, options, type, source, filter, CR, CR | WU | W, plan, options.syncNone ? 0 : tx.mustPeekNode(source).size);
  draftJob(tx, options.id).filter = filter;
  let targetPerm = W;
  let targetShared = WU;
  if (isCommit) {
    if (tx.mustPeekNode(target).size < tx.mustPeekNode(source).size) targetPerm |= RS;
    targetShared |= CR | W;
  } else if (chainContains(tx.g as Graph, source, skipFilters(tx.g as Graph, target))) {
    fail(msg.mirrorToFilterOnChain());
  }
  const targetBackend = addJobBackend(tx, options.id, target, targetPerm, targetShared);
  // mirror_start_job(): a mirror's target may be inactivated (non-shared storage migration)
  if (type === 'mirror') tx.backend(targetBackend)!.forceAllowInactivate = true;
  addJobEdge(tx, options.id, 'source', source, 0, WU | W | CR);
  addJobEdge(tx, options.id, 'target', target, 0, PERM_ALL);
  if (isCommit) {
    for (let iter = belowInChain(tx.g as Graph, source); iter && iter !== target; iter = belowInChain(tx.g as Graph, iter)) {
      const shared = W | WU | (belowInChain(tx.g as Graph, iter) === target && isFilter(tx.mustPeekNode(iter).driver) ? CR : 0);
      addJobEdge(tx, options.id, 'intermediate node', iter, 0, shared);
    }
  }
  const sourceSize = tx.mustPeekNode(source).size;
  const failure = isCommit ? growBase(tx, target, sourceSize) : sourceSize !== tx.mustPeekNode(target).size ? msg.sizesDiffer() : null;
  // mirror_run() fails before it counts what it has to copy
  if (failure !== null) draftJob(tx, options.id).len = 0;
  runJob(tx, options.id, failure);
  if (failure !== null) return;
  // mirror_run(): nothing to copy, and the job is ready as soon as it runs; else it reads
  if (getJob(tx.g as Graph, options.id)!.len > 0) return firstRead(tx, options.id);
  afterReply(tx, () => {
    setJobStatus(tx, options.id, 'ready');
    emitBlockJobEvent(tx, 'BLOCK_JOB_READY', getJob(tx.g as Graph, options.id)!);
  });
}

/**
 * stream_start(): block-stream of `device` down to `base` (null: the whole chain). `progress`
 * learns whether the job's backend was made before a refusal (QEMU 7.2 leaks it then).
 */
export function startStream(
  tx: Tx,
  options: JobOptions,
  device: NodeName,
  base: NodeName | null,
  progress: { backendMade: boolean } = { backendMade: false },
  bottom: NodeName | null = null,
): void {
  // stream_start(): with a bottom, the bottom is the base's overlay
  const baseOverlay = bottom ?? findOverlay(tx.g as Graph, device, base);
  if (baseOverlay === null) fail(msg.notInStreamChain(base!, device));
  const deviceWasReadOnly = needsReopen(tx, device);
  if (deviceWasReadOnly) reopenSetReadOnly(tx, device, false);
  const filter = newFilterNode(tx, 'copy-on-read', options.filterNodeName, false);
  insertFilter(tx, filter, device);
  finishFilter(tx, filter, device);
  // stream_start(): the node directly above base (the bottom of the chain when there is no base)
  let aboveBase = device;
  for (let iter = belowInChain(tx.g as Graph, device); iter && iter !== base; iter = belowInChain(tx.g as Graph, iter)) aboveBase = iter;
  // stream_run(): nothing to stream when the device's image is the base's overlay
  const len = skipFilters(tx.g as Graph, device) === baseOverlay ? 0 : tx.mustPeekNode(device).size;
  createJob(tx, options, 'stream', device, filter, 0, PERM_ALL, { kind: 'stream', device, base, aboveBase, deviceWasReadOnly }, len);
  draftJob(tx, options.id).filter = filter;
  addJobBackend(tx, options.id, filter, CR, CR | WU | W);
  progress.backendMade = true;
  addJobEdge(tx, options.id, 'active node', device, 0, CR | WU | W);
  for (let iter = belowInChain(tx.g as Graph, device); iter && iter !== base; iter = belowInChain(tx.g as Graph, iter)) {
    addJobEdge(tx, options.id, 'intermediate node', iter, 0, CR | WU);
  }
  runJob(tx, options.id);
  writeFirstStep(tx, options.id);
}

/** backup_job_create(): a copy-before-write filter above the source, writing to the target. */
export function startBackup(tx: Tx, options: JobOptions, source: NodeName, target: NodeName, bitmap?: BackupBitmap): void {
  if (source === target) fail(msg.backupSameNode());
  // a bitmap it writes back must be writable; bdrv_dirty_bitmap_create_successor() then freezes it
  if (bitmap && bitmap.mode !== 'never') checkBitmap(tx.g as Graph, lookupBitmap(tx.g as Graph, source, bitmap.name), DEFAULT);
  if (tx.mustPeekNode(source).size !== tx.mustPeekNode(target).size) fail(msg.sizesDiffer());
  const filter = newFilterNode(tx, 'copy-before-write', options.filterNodeName, false, options.discardSource ? { 'x-discard-source': true } : {});
  // bdrv_insert_node(): what fails while the filter opens its children is prefixed
  prefixed(msg.couldNotCreateNode, () => {
    attachChild(tx, filter, source, 'file', Role.FILTERED | Role.PRIMARY);
    refresh(tx);
    attachChild(tx, filter, target, 'target', Role.DATA);
    refresh(tx);
  });
  replaceNodeNoperm(tx, source, filter);
  refresh(tx);
  finishFilter(tx, filter, source);
  const plan: JobPlan = {
    kind: 'backup',
    source,
    target,
    ...(bitmap ? { bitmap: { name: bitmap.name, mode: bitmap.mode, ...(bitmap.syncBitmap ? { sync: true as const } : {}) } } : {}),
    ...(options.syncNone ? { untilCancelled: true as const } : {}),
    ...(options.syncTop ? { onlyTop: true as const } : {}),
    ...(options.onSourceError ? { onSourceError: options.onSourceError } : {}),
  };
  createJob(tx, options, 'backup', source, filter, 0, PERM_ALL, plan, backupLength(tx.g as Graph, plan, tx.mustPeekNode(source).size));
  draftJob(tx, options.id).filter = filter;
  addJobEdge(tx, options.id, 'target', target, 0, PERM_ALL);
  setJobStatus(tx, options.id, 'running');
  // blockdev-backup and drive-backup run as transaction actions: the job starts inside the
  // source's drained section (blockdev_backup_prepare() to _clean()), stops at its first pause
  // point and resumes when the section ends, all before the reply
  setJobStatus(tx, options.id, 'paused');
  setJobStatus(tx, options.id, 'running');
  if (!tx.env.deferJobRuns) firstRead(tx, options.id);
}
