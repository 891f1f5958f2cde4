/**
 * NBD client nodes' connections (block/nbd.c: nbd_open(), nbd_co_do_establish_connection()): the
 * negotiation with the server a node names — the graph's own NBD server (as a second daemon's
 * would be) or one outside, through the Storage — and, in model dynamic, the new negotiation a
 * node goes through when it is to be written to.
 */
import { fromLegacyAddress, nbdAddressKey, nbdAddressText, type NbdAddress, type NbdAnswer, type NbdExportInfo } from '../drivers/nbd-server.js';
import { getShard } from '../graph/shards.js';
import { shardValues } from '../graph/shard-walk.js';
import type { Graph, NodeName, RemoteExport } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { Tx } from './tx-state.js';

/** The server id of the graph's own NBD server: one per graph, serving any number of clients. */
const OWN_SERVER = 'permgraph-nbd-server';

/** The graph's own exports, when its NBD server listens at `address`; else undefined. */
function ownExport(g: Graph, address: NbdAddress, exportName: string): NbdAnswer | undefined {
  const own = fromLegacyAddress(g.nbdServer?.addr);
  if (!own || nbdAddressKey(own) !== nbdAddressKey(address)) return undefined;
  const id = getShard(g.exportNames, exportName);
  const exp = id === undefined ? undefined : getShard(g.exports, id);
  const node = exp && getShard(g.nodes, exp.nodeName);
  if (!exp || !node) return { error: msg.nbdExportNotAvailable() };
  return { size: node.size, readOnly: !exp.writable, contexts: [], serverId: OWN_SERVER, persistent: true, maxClients: Number.MAX_SAFE_INTEGER };
}

/** One negotiation with the server at `address` for `exportName`: its answer, or why there is none. */
export function negotiate(tx: Tx, address: NbdAddress, exportName: string): NbdAnswer {
  return ownExport(tx.g as Graph, address, exportName) ?? tx.env.storage.nbdConnect(address, exportName);
}

/** How many client nodes of the graph are connected to that start of a server. */
function clientsOf(g: Graph, serverId: string): number {
  let n = 0;
  for (const node of shardValues(g.nodes)) if (node.remote?.serverId === serverId) n++;
  return n;
}

/**
 * A new node's connection: negotiated, checked against the server's client limit, kept as the
 * node's. A client beyond the limit would wait unanswered in QEMU (the daemon hangs); here it is
 * refused, saying so.
 */
export function connectNode(tx: Tx, name: NodeName, address: NbdAddress, exportName: string): NbdExportInfo {
  const answer = negotiate(tx, address, exportName);
  if ('error' in answer) fail(answer.error);
  if (clientsOf(tx.g as Graph, answer.serverId) >= answer.maxClients) {
    fail(msg.nbdServerFull(nbdAddressText(address), answer.maxClients));
  }
  tx.mustNode(name).remote = remoteOf(address, exportName, answer);
  tx.emit({ type: 'nbd.negotiated', node: name, serverId: answer.serverId });
  return answer;
}

const remoteOf = (address: NbdAddress, exportName: string, info: NbdExportInfo): RemoteExport => ({
  server: nbdAddressKey(address),
  exportName,
  serverId: info.serverId,
  serverReadOnly: info.readOnly,
  maxClients: info.maxClients,
  ...(info.header ? { header: info.header } : {}),
  ...(info.firstRun !== undefined ? { firstRun: info.firstRun } : {}),
});

/** The node the graph's own NBD server exports to a client of it, if that is whom it negotiated with. */
export function ownExportedNode(g: Graph, remote: RemoteExport): NodeName | undefined {
  if (remote.serverId !== OWN_SERVER) return undefined;
  const id = getShard(g.exportNames, remote.exportName);
  return id === undefined ? undefined : getShard(g.exports, id)?.nodeName;
}

/**
 * Model dynamic: the node negotiates anew with the server its options name, so that storage that
 * became writable (or unwritable) counts; the new connection is kept as the node's. Null when
 * there is one, else why not.
 */
export function renegotiate(tx: Tx, name: NodeName): string | null {
  const node = tx.mustPeekNode(name);
  const address = node.options['server'] as NbdAddress;
  const exportName = (node.options['export'] as string | undefined) ?? '';
  const answer = negotiate(tx, address, exportName);
  if ('error' in answer) return answer.error;
  tx.mustNode(name).remote = remoteOf(address, exportName, answer);
  tx.emit({ type: 'nbd.negotiated', node: name, serverId: answer.serverId });
  return null;
}

/** renegotiate() for a writer: null when the server now lets the node write, else why not. */
export function renegotiateForWrite(tx: Tx, name: NodeName): string | null {
  return renegotiate(tx, name) ?? (tx.mustPeekNode(name).remote?.serverReadOnly ? msg.nbdExportReadOnly() : null);
}

/** Whether the server a node negotiated with still serves it (a server stopped and started again is another one). */
export function connectionAlive(tx: Tx, remote: RemoteExport): boolean {
  if (remote.serverId === OWN_SERVER) return tx.g.nbdServer !== null;
  return tx.env.storage.nbdServerRunning(remote.serverId);
}
