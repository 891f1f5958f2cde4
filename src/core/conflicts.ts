/** bdrv_parent_perms_conflict(): what one parent of a node takes that another does not share. */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { PERM_ALL, permNames } from '../perms/perm.js';
import { describeParent } from '../graph/graph.js';
import type { BlockNode, Edge, Graph } from '../graph/types.js';

/** Every ordered pair of parents, in list order: the first clash is QEMU's error. */
export function checkParentConflicts(g: Graph, node: BlockNode, parents: readonly Edge[]): void {
  for (const a of parents) {
    for (const b of parents) {
      if (a === b) continue;
      const clash = b.perm & ~a.shared & PERM_ALL;
      if (clash) {
        fail(msg.permissionConflict(node.name, permNames(clash), describeParent(g, b.parent), b.name, describeParent(g, a.parent), a.name));
      }
    }
  }
}
