/** object-add / object-del for the objects block nodes use (qom/object_interfaces.c). */
import { fail } from '../core/errors.js';
import { isWellFormedId } from '../core/open.js';
import { transact } from '../core/tx.js';
import { nodesInOrder } from '../graph/graph.js';
import { objectOptions } from '../qapi/block-schema.js';
import { req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';

export const objectAdd: Command = {
  args: objectOptions,
  boxed: true,
  run(graph, args, env) {
    const id = args['id'] as string;
    if (!isWellFormedId(id)) fail("Parameter 'id' expects an identifier");
    if (graph.throttleGroups[id]) fail(`attempt to add duplicate property '${id}' to object (type 'container')`);
    const { 'qom-type': _type, id: _id, ...limits } = args;
    const result = transact(graph, env, (tx) => {
      tx.g.throttleGroups[id] = { id, limits };
    });
    return { ...result, reply: {} };
  },
};

export const objectDel: Command = {
  args: struct(req('id', str)),
  run(graph, args, env) {
    const id = args['id'] as string;
    if (!graph.throttleGroups[id]) fail(`object '${id}' not found`);
    const user = nodesInOrder(graph).find((n) => n.driver === 'throttle' && n.options['throttle-group'] === id);
    if (user) fail(`object '${id}' is in use, can not be deleted`);
    const result = transact(graph, env, (tx) => {
      delete tx.g.throttleGroups[id];
    });
    return { ...result, reply: {} };
  },
};
