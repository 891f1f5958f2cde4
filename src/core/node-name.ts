/** A node's name as bdrv_assign_node_name() checks it (block.c). */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { Tx } from './tx-state.js';

const NODE_NAME_MAX = 31;

/** id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
export function isWellFormedId(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(id);
}

/** bdrv_assign_node_name()'s checks. */
export function assignNodeName(tx: Tx, name: string): void {
  if (!isWellFormedId(name)) fail(msg.invalidNodeName(name));
  if (tx.peekNode(name)) fail(msg.duplicateNode(name));
  if (name.length > NODE_NAME_MAX) fail(msg.nodeNameTooLong());
}
