/**
 * The legacy NBD export commands (blockdev-nbd.c: qmp_nbd_server_add(), qmp_nbd_server_remove()):
 * block-export-add and block-export-del of an NBD export, with their own defaults.
 */
import { getExport, getNode } from '../graph/graph.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { bool, enumOf, opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { blockExportAdd, blockExportDel } from './exports.js';

/**
 * nbd-server-add: the node by device or node name (the daemon has no devices); the export's id and
 * name default to `device`; a read-only node is exported read-only whatever `writable` says.
 */
export const nbdServerAdd: Command = {
  // NbdServerAddOptions: BlockExportOptionsNbdBase's members first
  args: struct(opt('name', str), opt('description', str), req('device', str), opt('writable', bool), opt('bitmap', str)),
  run(graph, args, env) {
    const device = args['device'] as string;
    const node = getNode(graph, device);
    if (!node) fail(msg.cannotFindDevice(device, device));
    const name = (args['name'] as string | undefined) ?? device;
    const writable = node.readOnly ? false : args['writable'];
    return blockExportAdd.run(
      graph,
      {
        type: 'nbd',
        id: name,
        'node-name': node.name,
        ...(writable !== undefined ? { writable } : {}),
        name,
        ...(args['description'] !== undefined ? { description: args['description'] } : {}),
        ...(args['bitmap'] !== undefined ? { bitmaps: [args['bitmap']] } : {}),
      },
      env,
    );
  },
};

/** nbd-server-remove: block-export-del of an NBD export (`Block export 'x' is not an NBD export`). */
export const nbdServerRemove: Command = {
  args: struct(req('name', str), opt('mode', enumOf('BlockExportRemoveMode', ['safe', 'hard']))),
  run(graph, args, env) {
    const name = args['name'] as string;
    const exp = getExport(graph, name);
    if (exp && exp.type !== 'nbd') fail(msg.notAnNbdExport(name));
    return blockExportDel.run(graph, { id: name, ...(args['mode'] !== undefined ? { mode: args['mode'] } : {}) }, env);
  },
};
