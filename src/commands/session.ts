/** Commands about the simulated daemon itself: query-version, quit, qmp_capabilities. */
import { QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import { exportsInOrder } from '../graph/graph.js';
import { deleteShard } from '../graph/shards.js';
import { removeBackend } from '../core/backends.js';
import { enumOf, listOf, opt, struct } from '../qapi/schema.js';
import { query, type Command } from './command.js';

/** What qemu-storage-daemon 7.2 as Debian ships it says of itself. */
export const QEMU_VERSION = {
  qemu: { micro: 22, minor: 2, major: 7 },
  package: 'Debian 1:7.2+dfsg-7+deb12u18+b3',
} as const;

export const queryVersion: Command = query(undefined, () => QEMU_VERSION);

/** quit: the daemon closes its exports (BLOCK_EXPORT_DELETED) and stops. */
export const quit: Command = {
  run(graph, _args, env) {
    const result = transact(graph, env, (tx) => {
      for (const exp of exportsInOrder(graph)) {
        removeBackend(tx, exp.backend);
        deleteShard(tx.g.exports, exp.id);
        deleteShard(tx.g.exportNames, exp.name);
        tx.emit({ type: 'qmp.event', event: 'BLOCK_EXPORT_DELETED', data: { id: exp.id } });
      }
      tx.emit({ type: 'shutdown' });
    });
    return { ...result, reply: {} };
  },
};

/** In a session that already negotiated (every in-process one), as QEMU answers it then. */
export const qmpCapabilities: Command = {
  args: struct(opt('enable', listOf(enumOf('QMPCapability', ['oob'])))),
  run() {
    throw new QmpError('CommandNotFound', msg.capabilitiesAlreadyNegotiated());
  },
};
