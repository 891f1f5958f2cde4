/**
 * file-posix's lock bytes (raw_check_lock_bytes(), raw_apply_lock_bytes()): a file node takes a
 * byte for each perm it holds and for each it does not share; the other users of the same file
 * (fileUsers) must not hold what it does not share, nor refuse to share what it holds.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { PERM_BITS, permNames, type PermSet } from '../perms/perm.js';
import { getShard } from '../graph/shards.js';
import type { BlockNode, NodeName } from '../graph/types.js';
import type { Tx } from './tx-state.js';

/**
 * This node's new lock bytes against the other users of its file; taken when none clash. An
 * inactive node neither checks nor moves its lock bytes (raw_handle_perm_lock()).
 */
export function checkFileLocks(tx: Tx, node: BlockNode, perm: PermSet, shared: PermSet): void {
  const file = node.file!;
  if (node.inactive || (file.perm === perm && file.shared === shared)) return;
  if (file.locking) {
    const users: readonly NodeName[] = getShard(tx.g.fileUsers, file.identity) ?? [];
    const others = [
      ...users
        .filter((name) => name !== node.name)
        .map((name) => tx.mustPeekNode(name).file!)
        .filter((other) => other.locking),
      // other processes' locks on the file (a qemu-nbd serving it)
      ...(tx.env.storage.externalLocks?.(file.identity) ?? []),
    ];
    for (const bit of PERM_BITS) {
      if (perm & bit && others.some((o) => !(o.shared & bit))) fail(msg.lockFailed(permNames(bit)));
    }
    for (const bit of PERM_BITS) {
      if (!(shared & bit) && others.some((o) => o.perm & bit)) fail(msg.sharedLockFailed(permNames(bit)));
    }
  }
  const draft = tx.mustNode(node.name).file!;
  draft.perm = perm;
  draft.shared = shared;
}
