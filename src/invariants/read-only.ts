/**
 * Read-only invariants: a file node's descriptor mode, the dynamic model's auto-read-only rule,
 * and machines at rest between commands. They are computed from the node's options and its
 * parents' perms, never from the node machine, so a wrong machine shows up here.
 */
import { nodeMachine } from '../../machines/node.machine.js';
import { NODE_TAGS } from '../../machines/node.types.js';
import { DRIVERS } from '../drivers/registry.js';
import { viewOf } from './view.js';
import type { BlockNode } from '../graph/types.js';
import { permNames } from '../perms/perm.js';
import { FD_WRITE_PERMS, hasWriters } from '../perms/writers.js';
import { defineInvariant, inScope, type InvariantContext } from './types.js';

/** A descriptor that should be O_RDONLY may stay O_RDWR when the storage refuses O_RDONLY (QEMU ignores that failure). */
const readOnlyReopenRefused = (node: BlockNode, context: InvariantContext): boolean =>
  node.file !== null && context.storage !== undefined && context.storage.openError(node.file.path, 'O_RDONLY') !== null;

export const fdFollowsWriters = defineInvariant(
  'fd-follows-writers',
  'spec §5.2 and §10 inv. 12: a file node is open O_RDWR exactly when it has auto-read-only and a parent holds write, write unchanged or resize, or has no auto-read-only and is not read-only (file-posix.c: raw_parse_flags() as raw_reconfigure_getfd() calls it from raw_check_perm()); a failed drop to O_RDONLY leaves it O_RDWR (block.c: bdrv_child_try_set_perm() ignores loosening errors), and so does one a reopen left believing it is O_RDONLY (QEMU 7.2: raw_reopen_commit())',
  (g, report, context, scope) => {
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      if (!node.file) continue;
      const { perm } = viewOf(g).cumulative(node);
      const wantReadWrite = node.machine.context.autoReadOnly ? (perm & FD_WRITE_PERMS) !== 0 : !node.machine.context.readOnly;
      const isReadWrite = node.file.mode === 'O_RDWR';
      if (wantReadWrite === isReadWrite) continue;
      if (isReadWrite && readOnlyReopenRefused(node, context)) continue;
      // QEMU 7.2's raw_reopen_commit() left it believing it is O_RDONLY: a later check wanting O_RDONLY keeps it (reopenForgetsOpenFlags)
      if (isReadWrite && node.file.flags === 'O_RDONLY') continue;
      const why = node.machine.context.autoReadOnly
        ? `auto-read-only with parents holding '${permNames(perm)}'`
        : node.machine.context.readOnly ? 'read-only=on' : 'read-write without auto-read-only';
      report(`'${node.name}' is open ${node.file.mode} but is ${why}`);
    }
  },
);

export const dynamicReadWriteIffWriter = defineInvariant(
  'dynamic-read-write-iff-writer',
  "DESIGN §1 model dynamic, spec §5 (file-posix's dynamic auto-read-only, extended to every node): with auto-read-only and without read-only=on a node is read-write exactly when it has a writer: write or write unchanged (block.c: bdrv_node_refresh_perm()'s check), and resize too for a node with a descriptor (file-posix.c: raw_reconfigure_getfd())",
  (g, report, context, scope) => {
    if (g.model !== 'dynamic') return;
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      if (!node.machine.context.autoReadOnly || node.machine.context.readOnly) continue;
      const { perm } = viewOf(g).cumulative(node);
      const writer = hasWriters(DRIVERS[node.driver].holdsFd, perm);
      if (writer === !node.readOnly) continue;
      if (!node.readOnly && readOnlyReopenRefused(node, context)) continue;
      report(`'${node.name}' (auto-read-only) is ${node.readOnly ? 'read-only' : 'read-write'} with parents holding '${permNames(perm)}'`);
    }
  },
);

export const nbdWriteOnlyWhereLet = defineInvariant(
  'nbd-write-only-where-let',
  "DESIGN §1 (auto-read-only's own case, docs/dynamic-model.md), FINDINGS g2: an NBD client node is read-write only where its server let it write when last asked (block/nbd.c: nbd_handle_updated_info() makes a node on a server with NBD_FLAG_READ_ONLY read-only through bdrv_apply_auto_read_only(), or fails its open; model dynamic negotiates anew before a node turns read-write)",
  (g, report, _context, scope) => {
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      if (node.remote?.serverReadOnly && !node.readOnly) report(`'${node.name}' is read-write but its server refused writes (${node.remote.server})`);
    }
  },
);

export const machineAtRest = defineInvariant(
  'machine-at-rest',
  'spec §4.2 and §5.3: a reopen is decided inside the command that caused it (its check, then commit or abort), so between commands no node is half-way through one (block.c: bdrv_reopen_multiple(), tran_finalize())',
  (g, report, _context, scope) => {
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      const value = node.machine.value;
      const tags = nodeMachine.states[value]?.tags ?? [];
      const reopening = tags.includes(NODE_TAGS.reopenReadWrite) || tags.includes(NODE_TAGS.reopenReadOnly);
      if (reopening || value === 'routing' || value === 'closed') {
        report(`'${node.name}' rests in machine state '${value}'`);
      }
    }
  },
);
