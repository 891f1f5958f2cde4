/**
 * The node chart in a transaction: each event goes to the node's chart through the injected
 * stepper, and the core carries out what the chart's state asks for — the reopen a
 * `reopen-read-write` / `reopen-read-only` state names (tried on the `Storage`, its outcome sent
 * back), and the descriptor's mode its `fd-read-write` tag shows.
 */
import type { NodeEvent, NodeStep, ReopenDirection } from '../../machines/node.types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { BlockNode, FdMode } from '../graph/types.js';
import type { PermSet } from '../perms/perm.js';
import { renegotiateForWrite } from './nbd-client.js';
import type { Tx } from './tx-state.js';

/** Sends a node's chart an event; records it when the state changes. */
export function stepMachine(tx: Tx, node: BlockNode, event: NodeEvent): NodeStep {
  const from = node.machine;
  const step = tx.env.stepper.step(from, event);
  const to = step.state;
  if (
    to.value !== from.value ||
    to.context.readOnly !== from.context.readOnly ||
    to.context.autoReadOnly !== from.context.autoReadOnly
  ) {
    tx.emit({ type: 'node.machine', node: node.name, event, from: from.value, to: to.value });
  }
  if (node.machine !== to || node.readOnly !== step.readOnly) {
    const draft = tx.mustNode(node.name);
    draft.machine = to;
    draft.readOnly = step.readOnly;
  }
  return step;
}

/** The node's new cumulative perm goes to its chart; the reopen and descriptor mode it asks for follow. */
export function followWriters(tx: Tx, before: BlockNode, perm: PermSet): void {
  let step = stepMachine(tx, before, { type: 'perms.changed', perm });
  if (step.reopen) step = reopen(tx, before, step.reopen);
  const file = tx.mustPeekNode(before.name).file;
  if (file) {
    const want: FdMode = step.fdReadWrite ? 'O_RDWR' : 'O_RDONLY';
    // raw_reconfigure_getfd(): a new descriptor when the mode wanted is not the one recorded
    if (want !== (file.flags ?? file.mode)) {
      const error = tx.env.storage.openError(file.path, want);
      if (!error) setFdMode(tx, before.name, want);
      else if (want === 'O_RDWR') fail(msg.couldNotOpen(file.path, error));
      // going back to O_RDONLY may fail: the descriptor stays O_RDWR, as in QEMU
    }
  }
}

/** A file node's descriptor opened anew in `mode`. */
function setFdMode(tx: Tx, name: string, mode: FdMode): void {
  const file = tx.mustNode(name).file!;
  file.mode = mode;
  delete file.flags;
  tx.fdOpened.add(name);
}

/** The reopen the chart asked for, tried on the storage; the chart hears how it went. */
function reopen(tx: Tx, before: BlockNode, direction: ReopenDirection): NodeStep {
  const node = tx.mustNode(before.name);
  tx.emit({ type: 'reopen.started', node: node.name, direction });
  const mode: FdMode = direction === 'read-write' ? 'O_RDWR' : 'O_RDONLY';
  // raw_reconfigure_getfd(): the descriptor is kept, and nothing opened, when the mode recorded is the one wanted
  const kept = node.file !== null && (node.file.flags ?? node.file.mode) === mode;
  const error = node.file && !kept ? tx.env.storage.openError(node.file.path, mode) : null;
  // an NBD client negotiates anew to write; dropping back to read-only asks nothing of the server
  const refusal = node.remote && direction === 'read-write' ? renegotiateForWrite(tx, node.name) : null;
  const step = stepMachine(tx, node, { type: error || refusal ? 'reopen.failed' : 'reopen.done' });
  if (error || refusal) {
    tx.emit({ type: 'reopen.failed', node: node.name, direction, reason: (error ?? refusal)! });
    if (direction === 'read-write') {
      if (refusal) fail(msg.dynamicReopenFailed(node.name, refusal));
      const filename = node.file!.path;
      fail(tx.g.model === 'dynamic' ? msg.dynamicReopenFailed(node.name, msg.dynamicReopenFileReason(filename, error!)) : msg.couldNotOpen(filename, error!));
    }
  } else {
    tx.emit({ type: 'reopen.done', node: node.name, direction });
    if (node.file && !kept) setFdMode(tx, node.name, mode);
  }
  return step;
}
