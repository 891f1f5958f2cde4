/**
 * Character devices (chardev/char.c): chardev-add, chardev-change, chardev-remove,
 * chardev-send-break, query-chardev, query-chardev-backends. The QMP monitor's own chardev is one of
 * them, busy and with its frontend open; no block export of the daemon uses a chardev.
 */
import type { Command, CommandArgs, CommandResult } from './command.js';
import { openChardev, chardevDrivers } from './chardev-open.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { TxEnv } from '../core/tx-state.js';
import { TxError } from '../core/tx.js';
import type { Graph } from '../graph/types.js';
import { chardevsInOrder, getChardev, putChardev, removeChardev } from '../graph/chardevs.js';
import { rulesOf } from '../models/rules.js';
import { chardevBackend } from '../qapi/char-schema.js';
import { req, str, struct } from '../qapi/schema.js';

const unchanged = (graph: Graph, reply: unknown): CommandResult => ({ graph, events: [], reply });

/** qmp_chardev_add() after its duplicate check: the new chardev, or `Failed to add chardev 'id': …`. */
function addChardev(graph: Graph, id: string, backend: CommandArgs, env: TxEnv): CommandResult {
  const release = rulesOf(graph.model).qapiRelease;
  try {
    const chardev = openChardev(id, backend['type'] as string, backend['data'] as CommandArgs, release, env);
    return { graph: putChardev(graph, chardev), events: [], reply: {} };
  } catch (error) {
    if (error instanceof QmpError) fail(msg.chardevAddFailed(id, error.desc));
    throw error;
  }
}

const chardevArgs = struct(req('id', str), req('backend', chardevBackend));

export const chardevAdd: Command = {
  args: chardevArgs,
  run(graph, args, env) {
    const id = args['id'] as string;
    if (getChardev(graph, id)) fail(msg.chardevExists(id));
    return addChardev(graph, id, args['backend'] as CommandArgs, env);
  },
};

export const chardevChange: Command = {
  args: chardevArgs,
  run(graph, args, env) {
    const id = args['id'] as string;
    const chardev = getChardev(graph, id);
    if (!chardev) fail(msg.chardevDoesNotExist(id));
    // the monitor's CharBackend has no chr_be_change
    if (chardev.monitor) fail(msg.chardevNoHotswap());
    // no frontend: the old one goes first, then qmp_chardev_add(), so a failed add leaves none (as QEMU does)
    const without = removeChardev(graph, id);
    try {
      return addChardev(without, id, args['backend'] as CommandArgs, env);
    } catch (error) {
      if (error instanceof QmpError) throw new TxError(error, [], without);
      throw error;
    }
  },
};

export const chardevRemove: Command = {
  args: struct(req('id', str)),
  run(graph, args) {
    const id = args['id'] as string;
    const chardev = getChardev(graph, id);
    if (!chardev) fail(msg.chardevNotFound(id));
    if (chardev.monitor) fail(msg.chardevBusy(id));
    return unchanged(removeChardev(graph, id), {});
  },
};

export const chardevSendBreak: Command = {
  args: struct(req('id', str)),
  run(graph, args) {
    const id = args['id'] as string;
    if (!getChardev(graph, id)) fail(msg.chardevNotFound(id));
    return unchanged(graph, {});
  },
};

export const queryChardev: Command = {
  run: (graph) =>
    unchanged(
      graph,
      chardevsInOrder(graph)
        .reverse()
        .map((c) => ({ label: c.id, filename: c.filename, 'frontend-open': c.monitor })),
    ),
};

export const queryChardevBackends: Command = {
  run: (graph) => unchanged(graph, chardevDrivers(rulesOf(graph.model).qapiRelease).map((name) => ({ name }))),
};
