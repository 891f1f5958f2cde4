/** object-add / object-del for the objects block nodes use (qom/object_interfaces.c). */
import { DRIVERS } from '../drivers/registry.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { isWellFormedId } from '../core/open.js';
import { transact } from '../core/tx.js';
import { getObject, nodesInOrder } from '../graph/graph.js';
import { objectOptions } from '../qapi/block-schema.js';
import { req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { emptyGHashTable, insertKey, removeKey } from '../util/ghash.js';

export const objectAdd: Command = {
  args: objectOptions,
  run(graph, args, env) {
    const id = args['id'] as string;
    if (!isWellFormedId(id)) fail(msg.idNotAnIdentifier());
    if (getObject(graph, id)) fail(msg.duplicateProperty(id, 'container'));
    // user_creatable_add_type(): a secret's properties set (`loaded` is read-only in QEMU 7.2), then its data loaded
    if (args['qom-type'] === 'secret') {
      if (args['loaded'] !== undefined) fail(msg.propertyNotWritable('secret.loaded'));
      if (args['data'] === undefined && args['file'] === undefined) fail(msg.secretNeedsData());
    }
    const { 'qom-type': qomType, id: _id, ...properties } = args;
    const result = transact(graph, env, (tx) => {
      tx.g.objects[id] = { id, qomType: qomType as string, properties };
    });
    return { ...result, graph: { ...result.graph, objectOrder: insertKey(result.graph.objectOrder ?? emptyGHashTable(), id) }, reply: {} };
  },
};

export const objectDel: Command = {
  args: struct(req('id', str)),
  run(graph, args, env) {
    const id = args['id'] as string;
    if (!getObject(graph, id)) fail(msg.objectNotFound(id));
    const drivers = env.drivers ?? DRIVERS;
    const user = nodesInOrder(graph).find((n) => drivers[n.driver].objectsHeld?.(n.options).includes(id));
    if (user) fail(msg.objectInUse(id));
    const result = transact(graph, env, (tx) => {
      delete tx.g.objects[id];
    });
    return { ...result, graph: { ...result.graph, objectOrder: removeKey(result.graph.objectOrder ?? emptyGHashTable(), id) }, reply: {} };
  },
};
