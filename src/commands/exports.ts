/**
 * NBD server and block exports (blockdev-nbd.c, block/export/export.c, nbd/server.c).
 */
import { moveToContext } from '../core/aio-context.js';
import { exportBitmaps } from './export-bitmaps.js';
import { insertBackend, removeBackend, setBackendPerm } from '../core/backends.js';
import { closeIfOrphan } from '../jobs/job-graph.js';
import { fail, QmpError } from '../messages/errors.js';
import type { GraphEvent } from '../core/events.js';
import { msg } from '../messages/messages.js';
import { isWellFormedId } from '../core/open.js';
import { activate } from '../core/activation.js';
import { Steps } from '../core/steps.js';
import { transact } from '../core/tx.js';
import type { Tx, TxEnv } from '../core/tx-state.js';
import { exportsInOrder, getBackend, getEdge, getExport, getNode, getObject } from '../graph/graph.js';
import { deleteShard, getShard, setShard } from '../graph/shards.js';
import type { BackendId, BlockExport, Graph } from '../graph/types.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { blockExportOptions, socketAddressLegacy } from '../qapi/block-schema.js';
import { before, enumOf, opt, req, since, str, struct, uint32 } from '../qapi/schema.js';
import type { Command, CommandArgs } from './command.js';
import { createTypedExport, EXPORT_TYPES, type ExportType } from './export-types.js';

/** NBD_MAX_STRING_SIZE */
const NBD_MAX_STRING = 4096;

export const nbdServerStart: Command = {
  // 8.x moved the options into NbdServerOptionsBase, ahead of addr
  args: struct(
    before(1000, req('addr', socketAddressLegacy)), since(1000, opt('handshake-max-seconds', uint32)),
    opt('tls-creds', str), opt('tls-authz', str), opt('max-connections', uint32), since(1000, req('addr', socketAddressLegacy)),
  ),
  run(graph, args, env) {
    if (graph.nbdServer) fail(msg.nbdServerAlreadyRunning());
    return { ...transact(graph, env, (tx) => void (tx.g.nbdServer = { addr: args['addr'] })), reply: {} };
  },
};

/** Shuts an export down: its backend lets go and BLOCK_EXPORT_DELETED is sent. */
function deleteExport(tx: Tx, id: string): void {
  const exp = getShard(tx.g.exports, id);
  if (!exp) return;
  const edge = tx.backend(exp.backend)?.edge ?? null;
  const node = edge !== null ? tx.edge(edge).child : null;
  removeBackend(tx, exp.backend);
  // blk_unref(): a node only the export held (an overlay of blockdev-snapshot-sync) is closed
  if (node !== null) closeIfOrphan(tx, node);
  deleteShard(tx.g.exports, id);
  if (exp.type === 'nbd') deleteShard(tx.g.exportNames, exp.name);
  tx.emit({ type: 'qmp.event', event: 'BLOCK_EXPORT_DELETED', data: { id } });
}

export const nbdServerStop: Command = {
  run(graph, _args, env) {
    if (!graph.nbdServer) fail(msg.nbdServerNotRunning());
    const result = transact(graph, env, (tx) => {
      for (const exp of exportsInOrder(tx.g as Graph)) if (exp.type === 'nbd') deleteExport(tx, exp.id);
      tx.g.nbdServer = null;
    });
    return { ...result, reply: {} };
  },
};

export const blockExportAdd: Command = {
  args: blockExportOptions,
  run(graph, args, env) {
    const id = args['id'] as string;
    const nodeName = args['node-name'] as string;
    const writable = args['writable'] === true;
    if (!isWellFormedId(id)) fail(msg.invalidExportId());
    if (getExport(graph, id)) fail(msg.exportIdInUse(id));
    if (!(EXPORT_TYPES as readonly unknown[]).includes(args['type'])) fail(msg.noExportDriver());
    const node = getNode(graph, nodeName);
    if (!node) fail(msg.cannotFindDevice('', nodeName));
    if (writable && env.stepper.describe(node.machine).refusesWriters) {
      fail(msg.exportReadOnlyWritable());
    }
    const iothread = args['iothread'];
    if (typeof iothread === 'string' && getObject(graph, iothread)?.qomType !== 'iothread') fail(msg.exportIothreadNotFound(iothread));
    // without allow-inactive the node is activated first, and stays so whatever follows; only NBD
    // exports may stay on an inactive node (BlockExportDriver.supports_inactive)
    const allowInactive = args['allow-inactive'] === true;
    if (allowInactive && args['type'] !== 'nbd') fail(msg.exportTypeNoInactive());
    const steps = new Steps(graph, env);
    try {
      // blk_exp_add(): the node moves into the iothread's context first, and stays there whatever
      // fails after (src/core/aio-context.ts; failing to move is not simulated)
      if (typeof iothread === 'string') steps.run((tx) => moveToContext(tx, nodeName, iothread));
      if (!allowInactive) activate(steps, nodeName);
      steps.run((tx) => createExport(tx, args, allowInactive));
    } catch (error) {
      // a failure after blk_insert_bs(): blk_unref() takes the node back to the main loop's context
      if (typeof iothread === 'string' && backendFits(steps.graph, env, args, allowInactive)) steps.run((tx) => moveToContext(tx, nodeName, null));
      steps.fail(error);
    }
    return { graph: steps.graph, events: steps.events, reply: {} };
  },
};

/** blk_new() + blk_insert_bs() of the export's backend. */
function insertExportBackend(tx: Tx, args: CommandArgs, allowInactive: boolean): BackendId {
  const perm = Perm.CONSISTENT_READ | (args['writable'] === true ? Perm.WRITE : 0);
  return insertBackend(tx, { kind: 'export', id: args['id'] as string }, args['node-name'] as string, perm, PERM_ALL, '', allowInactive);
}

/** Whether the export's backend would go onto its node: what fails after that drops it again. */
function backendFits(graph: Graph, env: TxEnv, args: CommandArgs, allowInactive: boolean): boolean {
  try {
    transact(graph, env, (tx) => insertExportBackend(tx, args, allowInactive));
    return true;
  } catch (error) {
    if (error instanceof QmpError) return false;
    throw error;
  }
}

/** The export's backend, then the export of its type (nbd_export_create() for NBD). */
function createExport(tx: Tx, args: CommandArgs, allowInactive: boolean): void {
  const id = args['id'] as string;
  const nodeName = args['node-name'] as string;
  const writable = args['writable'] === true;
  const perm = Perm.CONSISTENT_READ | (writable ? Perm.WRITE : 0);
  const backend = insertExportBackend(tx, args, allowInactive);
  if (args['type'] !== 'nbd') {
    const kept = createTypedExport(tx, args, backend, perm);
    const type = args['type'] as Exclude<ExportType, 'nbd' | 'vduse-blk'>;
    setShard(tx.g.exports, id, { id, type, nodeName, name: '', writable, backend, seq: tx.nextSeq(), ...kept });
    return;
  }
  // nbd_export_create()
  if (!tx.g.nbdServer) fail(msg.nbdServerNotRunning());
  const name = (args['name'] as string | undefined) ?? nodeName;
  if (name.length > NBD_MAX_STRING) fail(msg.exportNameTooLong(name));
  if (getShard(tx.g.exportNames, name) !== undefined) fail(msg.nbdExportNameInUse(name));
  setBackendPerm(tx, backend, perm, PERM_ALL & ~Perm.RESIZE);
  const bitmaps = exportBitmaps(tx.g as Graph, nodeName, args['bitmaps'] as readonly unknown[] | undefined, writable);
  setShard(tx.g.exports, id, { id, type: 'nbd', nodeName, name, writable, backend, seq: tx.nextSeq(), ...(bitmaps.length > 0 ? { bitmaps } : {}) });
  setShard(tx.g.exportNames, name, id);
}

export const blockExportDel: Command = {
  args: struct(req('id', str), opt('mode', enumOf('BlockExportRemoveMode', ['safe', 'hard']))),
  run(graph, args, env) {
    const id = args['id'] as string;
    if (!getExport(graph, id)) fail(msg.exportNotFound(id));
    const result = transact(graph, env, (tx) => deleteExport(tx, id));
    return { ...result, reply: {} };
  },
};

/** The node an export's backend is attached to now (jobs and snapshots move it). */
function exportedNode(graph: Graph, exp: BlockExport): string {
  const edge = getBackend(graph, exp.backend)?.edge;
  return (edge !== null && edge !== undefined ? getEdge(graph, edge)?.child : undefined) ?? exp.nodeName;
}

export const queryBlockExports: Command = {
  run: (graph) => ({
    graph,
    events: [] as GraphEvent[],
    reply: exportsInOrder(graph).map((e) => ({
      id: e.id,
      type: e.type,
      'node-name': exportedNode(graph, e),
      'shutting-down': false,
    })),
  }),
};
