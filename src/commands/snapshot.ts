/**
 * blockdev-snapshot: libvirt's external snapshot (blockdev.c: external_snapshot_prepare() and
 * external_snapshot_commit()). The overlay takes the node as its backing file and the node's
 * users; the old node is then reopened read-only.
 */
import { refreshFilename } from '../core/open.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { attachChild, replaceNodeNoperm } from '../core/links.js';
import { refresh } from '../core/refresh.js';
import { inactivate } from '../core/inactivation.js';
import { Steps } from '../core/steps.js';
import { transact, TxError } from '../core/tx.js';
import type { Tx, TxEnv } from '../core/tx-state.js';
import { DRIVERS } from '../drivers/registry.js';
import { Role } from '../drivers/roles.js';
import { childByName, getNode, parentEdges } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { opBlocked } from '../jobs/blockers.js';
import { req, str, struct } from '../qapi/schema.js';
import { cumulativePerm } from '../perms/cumulative.js';
import { Perm } from '../perms/perm.js';
import type { Command, CommandResult } from './command.js';
import { reopenSetReadOnly } from '../core/reopen.js';

/** external_snapshot_prepare(): what the overlay must be, once open. */
export function checkOverlay(graph: Graph, env: TxEnv, overlayName: NodeName): void {
  const overlay = getNode(graph, overlayName)!;
  // only an overlay whose parents do not expect a valid image yet (no consistent read: a mirror
  // target) may take a backing while in use; no op blocker of the overlay's is asked
  if (cumulativePerm(parentEdges(graph, overlay)).perm & Perm.CONSISTENT_READ) fail(msg.overlayInUse());
  const driver = (env.drivers ?? DRIVERS)[overlay.driver];
  if (driver.isFilter) fail(msg.overlayIsFilter());
  if (childByName(graph, overlay, 'backing')) fail(msg.overlayHasBacking());
  if (!driver.supportsBacking) fail(msg.overlayNoBackingSupport());
}

/** bdrv_append(): the overlay takes the node as backing, then the node's parents. */
export function appendOverlay(tx: Tx, name: NodeName, overlayName: NodeName): void {
  attachChild(tx, overlayName, name, 'backing', Role.COW);
  replaceNodeNoperm(tx, name, overlayName);
  refresh(tx);
  refreshFilename(tx, overlayName);
}

/** external_snapshot_commit(): the old node reopened read-only, a failure ignored (no errp). */
export function commitSnapshot(steps: Steps, name: NodeName): CommandResult {
  try {
    const reopened = transact(steps.graph, steps.env, (tx) => reopenSetReadOnly(tx, name, true));
    return { graph: reopened.graph, events: [...steps.events, ...reopened.events], reply: {} };
  } catch (error) {
    if (!(error instanceof TxError)) throw error;
    return { graph: steps.graph, events: steps.events, reply: {} };
  }
}

export const blockdevSnapshot: Command = {
  args: struct(req('node', str), req('overlay', str)),
  run(graph, args, env) {
    const name = args['node'] as string;
    const overlayName = args['overlay'] as string;
    if (!getNode(graph, name)) fail(msg.cannotFindDevice(name, name));
    const blockedOld = opBlocked(graph, name, 'external-snapshot');
    if (blockedOld) fail(blockedOld);
    const overlay = getNode(graph, overlayName);
    if (!overlay) fail(msg.cannotFindDevice(overlayName, overlayName));
    checkOverlay(graph, env, overlayName);
    // QEMU 10.0: an active overlay of an inactive node is inactivated first, and stays so
    const steps = new Steps(graph, env);
    try {
      if (getNode(graph, name)!.inactive && !overlay.inactive) inactivate(steps, overlayName);
      steps.run((tx) => appendOverlay(tx, name, overlayName));
    } catch (error) {
      steps.fail(error);
    }
    return commitSnapshot(steps, name);
  },
};
