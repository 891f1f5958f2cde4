/** block_resize (blockdev.c: qmp_block_resize(); block/io.c: bdrv_co_truncate()). */
import { insertBackend, removeBackend } from '../core/backends.js';
import { fail } from '../core/errors.js';
import { msg } from '../core/messages.js';
import { transact, type Tx } from '../core/tx.js';
import { getNode } from '../graph/graph.js';
import type { NodeName } from '../graph/types.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { int, opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { opBlockerReason } from '../jobs/blockers.js';

/** bdrv_co_truncate() down through raw and filters to the node that changes size (a loop: any depth). */
function truncate(tx: Tx, name: NodeName, size: number): void {
  const sized: [NodeName, number][] = [];
  for (let at: NodeName | undefined = name, want = size; at !== undefined; ) {
    const node = tx.mustPeekNode(at);
    if (node.readOnly) fail(msg.imageReadOnly());
    if (node.driver === 'raw' && node.options['size'] !== undefined) fail('Cannot resize fixed-size raw disks');
    sized.push([at, want]);
    const below = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
    const offset = node.driver === 'raw' ? ((node.options['offset'] as number | undefined) ?? 0) : 0;
    at = below && node.driver !== 'qcow2' ? below.child : undefined;
    want += offset;
  }
  // the bottom first, as the calls return
  for (let i = sized.length - 1; i >= 0; i--) tx.mustNode(sized[i]![0]).size = sized[i]![1];
}

export const blockResize: Command = {
  args: struct(opt('device', str), opt('node-name', str), req('size', int)),
  run(graph, args, env) {
    const device = args['device'] as string | undefined;
    const nodeName = args['node-name'] as string | undefined;
    const node = nodeName !== undefined ? getNode(graph, nodeName) : undefined;
    if (!node) fail(msg.cannotFindDevice(device ?? '', nodeName ?? ''));
    const size = args['size'] as number;
    if (size < 0) fail("Parameter 'size' expects a >0 size");
    // QERR_DEVICE_IN_USE with the device argument, printed as '(null)' when only node-name was given
    if (opBlockerReason(graph, node.name, 'resize')) fail(`Device '${device ?? '(null)'}' is in use`);
    const result = transact(graph, env, (tx) => {
      const backend = insertBackend(tx, { kind: 'internal', purpose: 'block_resize' }, node.name, Perm.RESIZE, PERM_ALL);
      truncate(tx, node.name, size);
      removeBackend(tx, backend);
    });
    return { ...result, reply: {} };
  },
};
