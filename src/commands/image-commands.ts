/**
 * blockdev-create (block/create.c: qmp_blockdev_create()) and x-blockdev-amend (block/amend.c:
 * qmp_x_blockdev_amend()): the command's own checks, then a job that runs at once. What the job
 * does is one transaction of its own: when it fails, its graph changes are undone and its error
 * becomes the job's (query-jobs), while the command itself succeeds.
 */
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { GraphEvent } from '../core/events.js';
import { transact } from '../core/tx.js';
import type { Tx, TxEnv } from '../core/tx-state.js';
import { getNode } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { endImageJob, startImageJob } from '../jobs/image-jobs.js';
import { blockdevAmendArgs, blockdevCreateArgs } from './image-job-args.js';
import { createFile, createQcow2 } from './image-create.js';
import type { Command, CommandArgs, CommandResult } from './command.js';

/** The drivers with .bdrv_co_create (the same in QEMU 7.2 and 10.0). */
const CREATE_DRIVERS = ['file', 'gluster', 'luks', 'nfs', 'parallels', 'qcow', 'qcow2', 'qed', 'rbd', 'ssh', 'vdi', 'vhdx', 'vmdk', 'vpc'];

/** The drivers with .bdrv_co_amend (block/crypto.c, block/qcow2.c). */
const AMEND_DRIVERS = ['luks', 'qcow2'];

/** job_create() and job_start(), the job's work in a transaction of its own, then job_exit(). */
function runImageJob(graph: Graph, env: TxEnv, id: string, type: 'create' | 'amend', holds: NodeName | null, work: (tx: Tx) => void): CommandResult {
  const started = transact(graph, env, (tx) => startImageJob(tx, id, type, holds));
  const events: GraphEvent[] = [...started.events];
  let after = started.graph;
  let error: string | null = null;
  try {
    const done = transact(after, env, work);
    after = done.graph;
    events.push(...done.events);
  } catch (failure) {
    if (!(failure instanceof QmpError)) throw failure;
    error = failure.desc;
  }
  const ended = transact(after, env, (tx) => endImageJob(tx, id, error));
  return { graph: ended.graph, events: [...events, ...ended.events], reply: {} };
}

/** What permgraph does not simulate of a creation: other drivers, qcow2's encryption and data file. */
function unsimulated(options: CommandArgs): string | null {
  const driver = options['driver'] as string;
  if (driver !== 'file' && driver !== 'qcow2') return `driver '${driver}'`;
  if (options['encrypt'] !== undefined) return "qcow2's 'encrypt'";
  if (options['data-file'] !== undefined) return "qcow2's 'data-file'";
  return null;
}

export const blockdevCreate: Command = {
  args: blockdevCreateArgs,
  run(graph, args, env) {
    const options = args['options'] as CommandArgs;
    const driver = options['driver'] as string;
    if (!CREATE_DRIVERS.includes(driver)) fail(msg.createNotSupported());
    const missing = unsimulated(options);
    if (missing !== null) fail(msg.createNotSimulated(missing));
    const work = driver === 'file' ? createFile : createQcow2;
    return runImageJob(graph, env, args['job-id'] as string, 'create', null, (tx) => work(tx, options));
  },
};

/** qcow2_co_amend(): only encryption can change, and images here are not encrypted. */
function amendQcow2(options: CommandArgs): void {
  if (options['encrypt'] !== undefined) fail(msg.amendNotEncrypted());
}

export const xBlockdevAmend: Command = {
  args: blockdevAmendArgs,
  run(graph, args, env) {
    const name = args['node-name'] as string;
    const node = getNode(graph, name);
    if (!node) fail(msg.cannotFindDevice('', name));
    const options = args['options'] as CommandArgs;
    if (node.driver !== options['driver']) fail(msg.amendChangesDriver());
    if (!AMEND_DRIVERS.includes(node.driver)) fail(msg.amendNotSupported());
    return runImageJob(graph, env, args['job-id'] as string, 'amend', name, () => amendQcow2(options));
  },
};

export const IMAGE_JOB_COMMANDS: Readonly<Record<string, Command>> = {
  'blockdev-create': blockdevCreate,
  'x-blockdev-amend': xBlockdevAmend,
};
