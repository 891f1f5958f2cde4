/**
 * The block job commands (blockdev.c: qmp_block_commit(), qmp_block_stream(),
 * qmp_blockdev_mirror(), qmp_blockdev_backup(), qmp_drive_*(); job-qmp.c; blockdev.c's
 * qmp_block_job_*()). Lookups and checks run on the snapshot first, in QEMU's order; the start
 * itself is one transaction.
 */
import { jobVerbError, type JobVerb } from '../../machines/job.machine.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact, TxError, type Tx } from '../core/tx.js';
import { insertBackend } from '../core/backends.js';
import { Perm } from '../perms/perm.js';
import { getJob, getNode, jobsInOrder, parentEdges } from '../graph/graph.js';
import type { Graph, Job, NodeName } from '../graph/types.js';
import { opBlocked, type BlockOp } from '../jobs/blockers.js';
import { abortJob, cancelJob, completeJob, completeMirror, dismissJob, finalizeJob } from '../jobs/lifecycle.js';
import { draftJob, setJobStatus } from '../jobs/job-graph.js';
import { belowInChain, chainContains, startBackup, startCommit, startMirror, startStream, type JobOptions } from '../jobs/start.js';
import {
  blockCommitArgs,
  blockdevBackupArgs,
  blockdevMirrorArgs,
  blockStreamArgs,
  cancelArgs,
  deviceArg,
  idArg,
  setSpeedArgs,
} from '../qapi/job-schema.js';
import type { TxEnv } from '../core/tx.js';
import type { Command, CommandArgs, CommandResult } from './command.js';
import { driveBackup, driveMirror } from './drive-jobs.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const { CONSISTENT_READ: CR, WRITE: W, WRITE_UNCHANGED: WU } = Perm;

export function jobOptions(args: CommandArgs, fallbackId: string): JobOptions {
  const filter = str(args['filter-node-name']);
  return {
    id: str(args['job-id']) ?? fallbackId,
    speed: (args['speed'] as number | undefined) ?? 0,
    autoFinalize: args['auto-finalize'] !== false,
    autoDismiss: args['auto-dismiss'] !== false,
    ...(filter !== undefined ? { filterNodeName: filter } : {}),
  };
}

/** bdrv_get_device_name(): the name of an attached device's backend, none in qemu-storage-daemon. */
const deviceName = (): string => '';

/** qmp_get_root_bs(): a node that only root users (backends, jobs) hold. */
export function rootNode(graph: Graph, device: string): NodeName {
  const node = getNode(graph, device);
  if (!node) fail(msg.cannotFindDevice(device, device));
  if (parentEdges(graph, node).some((e) => e.parent.kind === 'node' || e.parent.kind === 'job')) fail('Need a root block node');
  return node.name;
}

function blocked(graph: Graph, node: NodeName, op: BlockOp): void {
  const reason = opBlocked(graph, node, op);
  if (reason) fail(reason);
}

/** bdrv_lookup_bs(device, device). */
export const lookupDevice = (graph: Graph, name: string): NodeName => lookup(graph, name, true);

/** bdrv_lookup_bs(device, node): by node name only, or (device = node) by either. */
function lookup(graph: Graph, name: string, asDevice = false): NodeName {
  if (!getNode(graph, name)) fail(msg.cannotFindDevice(asDevice ? name : '', name));
  return name;
}

function started(graph: Graph, env: TxEnv, start: (tx: Tx) => void): CommandResult {
  return { ...transact(graph, env, start), reply: {} };
}

export const blockCommit: Command = {
  args: blockCommitArgs,
  run(graph, args, env) {
    const device = args['device'] as string;
    let bs: NodeName;
    try {
      bs = rootNode(graph, device);
    } catch (error) {
      if (!getNode(graph, device)) throw new QmpError('DeviceNotFound', `Device '${device}' not found`);
      throw error;
    }
    blocked(graph, bs, 'commit-source');
    const topNode = str(args['top-node']);
    if (topNode !== undefined && args['top'] !== undefined) fail("'top-node' and 'top' are mutually exclusive");
    const top = topNode !== undefined ? lookup(graph, topNode) : bs;
    if (!chainContains(graph, bs, top)) fail(`'${topNode}' is not in this backing file chain`);
    const baseNode = str(args['base-node']);
    if (baseNode !== undefined && args['base'] !== undefined) fail("'base' and 'base-node' are mutually exclusive");
    let base: NodeName | null;
    if (baseNode !== undefined) {
      base = lookup(graph, baseNode);
      if (!chainContains(graph, top, base)) fail(`'${baseNode}' is not in this backing file chain`);
    } else {
      base = null;
      // bdrv_find_base(): the bottom of the chain, top itself when it has no backing
      for (let iter: NodeName | null = top; iter; iter = belowInChain(graph, iter)) base = iter;
    }
    for (let iter: NodeName | null = top; iter && iter !== base; iter = belowInChain(graph, iter)) blocked(graph, iter, 'commit-target');
    if (top === base) fail('cannot commit an image into itself');
    const options = jobOptions(args, deviceName());
    const hasWriter = parentEdges(graph, getNode(graph, top)!).some((e) => e.perm & 0x2);
    if (top === bs || hasWriter) {
      if (args['backing-file'] !== undefined) {
        fail(top === bs ? "'backing-file' specified, but 'top' is the active layer" : "'backing-file' specified, but 'top' has a writer on it");
      }
      return started(graph, env, (tx) => startMirror(tx, options, 'commit', top, base!, null));
    }
    const overlay = [...parentEdges(graph, getNode(graph, top)!)].find((e) => e.name === 'backing' && e.parent.kind === 'node');
    if (overlay?.parent.kind === 'node') blocked(graph, overlay.parent.node, 'commit-target');
    return started(graph, env, (tx) => startCommit(tx, options, bs, top, base!));
  },
};

export const blockStream: Command = {
  args: blockStreamArgs,
  run(graph, args, env) {
    const bs = lookup(graph, args['device'] as string, true);
    if (args['base'] !== undefined && args['base-node'] !== undefined) fail("'base' and 'base-node' cannot be specified at the same time");
    const baseNode = str(args['base-node']);
    const base = baseNode !== undefined ? lookup(graph, baseNode) : null;
    if (base && (!chainContains(graph, bs, base) || base === bs)) fail(`Node '${base}' is not a backing image of '${bs}'`);
    for (let iter: NodeName | null = bs; iter && iter !== base; iter = belowInChain(graph, iter)) blocked(graph, iter, 'stream');
    const options = jobOptions(args, deviceName());
    const progress = { backendMade: false };
    try {
      return started(graph, env, (tx) => startStream(tx, options, bs, base, progress));
    } catch (error) {
      if (!(error instanceof TxError) || !progress.backendMade || graph.model !== 'qemu-7.2') throw error;
      // QEMU 7.2 quirk: the failed stream's backend stays behind on the device node
      const leaked = transact(graph, env, (tx) => {
        insertBackend(tx, { kind: 'internal', purpose: `leaked by block-stream ${options.id}` }, bs, CR, CR | WU | W);
      });
      throw new TxError(error, leaked.events, leaked.graph);
    }
  },
};

export const blockdevMirror: Command = {
  args: blockdevMirrorArgs,
  run(graph, args, env) {
    const bs = rootNode(graph, args['device'] as string);
    const target = lookup(graph, args['target'] as string, true);
    blocked(graph, bs, 'mirror-source');
    blocked(graph, target, 'mirror-target');
    if (args['sync'] === 'incremental' || args['sync'] === 'bitmap') fail(`Sync mode '${args['sync'] as string}' not supported`);
    const replaces = str(args['replaces']);
    if (replaces !== undefined) lookup(graph, replaces);
    const options = jobOptions(args, deviceName());
    return started(graph, env, (tx) => startMirror(tx, options, 'mirror', bs, target, replaces ?? null));
  },
};

export const blockdevBackup: Command = {
  args: blockdevBackupArgs,
  run(graph, args, env) {
    const bs = lookup(graph, args['device'] as string, true);
    const target = lookup(graph, args['target'] as string, true);
    needsBitmap(args);
    blocked(graph, bs, 'backup-source');
    blocked(graph, target, 'backup-target');
    const options = jobOptions(args, deviceName());
    return started(graph, env, (tx) => startBackup(tx, options, bs, target));
  },
};

/** do_backup_common(): the bitmap sync modes need a bitmap (none can be named here). */
export function needsBitmap(args: Readonly<Record<string, unknown>>): void {
  const sync = args['sync'];
  if ((sync === 'incremental' || sync === 'bitmap') && args['bitmap'] === undefined) {
    fail(`must provide a valid bitmap name for '${sync}' sync mode`);
  }
}

// ---------------------------------------------------------------- verbs

/** find_block_job(): block-job-* name jobs by `device`, and say DeviceNotActive when absent. */
function blockJob(graph: Graph, id: string): Job {
  const job = getJob(graph, id);
  if (!job) throw new QmpError('DeviceNotActive', `Block job '${id}' not found`);
  return job;
}

/** find_job(): job-* commands. */
function anyJob(graph: Graph, id: string): Job {
  const job = getJob(graph, id);
  if (!job) fail('Job not found');
  return job;
}

function verb(job: Job, name: JobVerb): void {
  const error = jobVerbError(job.id, job.status, name);
  if (error) fail(error);
}

type VerbAction = (tx: Tx, job: Job, args: CommandArgs) => void;

/** A verb command: find the job, check the verb table, act in one transaction. */
function verbCommand(args: Command['args'], find: (graph: Graph, id: string) => Job, key: 'device' | 'id', name: JobVerb, check: (job: Job, args: CommandArgs) => void, act: VerbAction): Command {
  return {
    ...(args ? { args } : {}),
    run(graph, a, env) {
      const job = find(graph, a[key] as string);
      verb(job, name);
      check(job, a);
      return { ...transact(graph, env, (tx) => act(tx, job, a)), reply: {} };
    },
  };
}

const noCheck = (): void => undefined;

const pause: VerbAction = (tx, job) => {
  draftJob(tx, job.id).userPaused = true;
  if (job.status === 'running') setJobStatus(tx, job.id, 'paused');
  else if (job.status === 'ready') setJobStatus(tx, job.id, 'standby');
};
const resume: VerbAction = (tx, job) => {
  draftJob(tx, job.id).userPaused = false;
  if (job.status === 'paused') setJobStatus(tx, job.id, 'running');
  else if (job.status === 'standby') {
    setJobStatus(tx, job.id, 'ready');
    if (job.completing === 'pivot') completeJob(tx, job.id);
  }
};
const pauseCheck = (job: Job): void => {
  if (job.userPaused) fail('Job is already paused');
};
const resumeCheck = (job: Job): void => {
  if (!job.userPaused) fail("Can't resume a job that was not paused");
};
const complete: VerbAction = (tx, job) => {
  if (job.plan.kind !== 'mirror') fail(`The active block job '${job.id}' cannot be completed`);
  completeMirror(tx, job.id);
};
const cancel: VerbAction = (tx, job, args) => cancelJob(tx, job.id, args['force'] === true || job.status !== 'ready');
const finalize: VerbAction = (tx, job) => (job.cancelled ? abortJob(tx, job.id) : finalizeJob(tx, job.id));
const dismiss: VerbAction = (tx, job) => dismissJob(tx, job.id);

export const JOB_COMMANDS: Readonly<Record<string, Command>> = {
  'block-commit': blockCommit,
  'block-stream': blockStream,
  'blockdev-mirror': blockdevMirror,
  'blockdev-backup': blockdevBackup,
  'drive-mirror': driveMirror,
  'drive-backup': driveBackup,
  'block-job-set-speed': verbCommand(setSpeedArgs, blockJob, 'device', 'set-speed', (_job, args) => {
    if ((args['speed'] as number) < 0) fail("Parameter 'speed' expects a non-negative value");
  }, (tx, job, args) => {
    draftJob(tx, job.id).speed = args['speed'] as number;
  }),
  'block-job-cancel': verbCommand(cancelArgs, blockJob, 'device', 'cancel', (job, args) => {
    if (job.userPaused && args['force'] !== true) fail(`The block job for device '${job.id}' is currently paused`);
  }, cancel),
  'block-job-complete': verbCommand(deviceArg, blockJob, 'device', 'complete', noCheck, complete),
  'block-job-pause': verbCommand(deviceArg, blockJob, 'device', 'pause', pauseCheck, pause),
  'block-job-resume': verbCommand(deviceArg, blockJob, 'device', 'resume', resumeCheck, resume),
  'block-job-finalize': verbCommand(idArg, blockJob, 'id', 'finalize', noCheck, finalize),
  'block-job-dismiss': verbCommand(idArg, blockJob, 'id', 'dismiss', noCheck, dismiss),
  'job-pause': verbCommand(idArg, anyJob, 'id', 'pause', pauseCheck, pause),
  'job-resume': verbCommand(idArg, anyJob, 'id', 'resume', resumeCheck, resume),
  'job-cancel': verbCommand(idArg, anyJob, 'id', 'cancel', noCheck, (tx, job) => cancelJob(tx, job.id, true)),
  'job-complete': verbCommand(idArg, anyJob, 'id', 'complete', noCheck, complete),
  'job-finalize': verbCommand(idArg, anyJob, 'id', 'finalize', noCheck, finalize),
  'job-dismiss': verbCommand(idArg, anyJob, 'id', 'dismiss', noCheck, dismiss),
};

/** query-jobs (JobInfo). */
export function jobInfo(graph: Graph): Record<string, unknown>[] {
  return jobsInOrder(graph).map((job) => ({
    id: job.id,
    type: job.type,
    status: job.status,
    'current-progress': job.offset,
    'total-progress': job.len,
  }));
}

/** query-block-jobs (BlockJobInfo), for jobs not yet concluded. */
export function blockJobInfo(graph: Graph): Record<string, unknown>[] {
  return jobsInOrder(graph)
    .filter((job) => job.status !== 'concluded')
    .map((job) => ({
      type: job.type,
      device: job.id,
      len: job.len,
      offset: job.offset,
      busy: job.status === 'running',
      paused: job.userPaused,
      speed: job.speed,
      'io-status': 'ok',
      ready: job.status === 'ready' || job.status === 'standby',
      status: job.status,
      'auto-finalize': job.autoFinalize,
      'auto-dismiss': job.autoDismiss,
    }));
}
