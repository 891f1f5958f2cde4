/**
 * qom-list, qom-get and qom-set (qom/qom-qmp-cmds.c) over the daemon's QOM tree as the snapshot
 * holds it (src/commands/qom-tree.ts). qom-get reads `type`, child properties (the child's path)
 * and a socket chardev's `connected` and `addr`; the values of other properties (a throttle group's
 * limits, an iothread's polling) are not simulated, nor is setting them; a throttle group's x-*
 * properties refuse a change once it exists, as QEMU's do.
 */
import type { Command } from './command.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { Graph } from '../graph/types.js';
import { any, req, str, struct } from '../qapi/schema.js';
import { getChardev } from '../graph/chardevs.js';
import { canonicalPath, qomProperties, qomRoot, resolveQomPath, type QomObject } from './qom-tree.js';

/** qom-get and qom-set resolve without telling an ambiguous path apart. */
function objectAt(graph: Graph, path: string): QomObject {
  const { object } = resolveQomPath(qomRoot(graph), path);
  if (!object) throw new QmpError('DeviceNotFound', msg.qomDeviceNotFound(path));
  return object;
}

export const qomList: Command = {
  args: struct(req('path', str)),
  run(graph, args) {
    const path = args['path'] as string;
    const { object, ambiguous } = resolveQomPath(qomRoot(graph), path);
    if (!object) {
      if (ambiguous) fail(msg.qomPathAmbiguous(path));
      throw new QmpError('DeviceNotFound', msg.qomDeviceNotFound(path));
    }
    return { graph, events: [], reply: qomProperties(object) };
  },
};

/** object_property_get_qobject() of what permgraph knows the value of. */
function propertyValue(graph: Graph, object: QomObject, name: string): unknown {
  if (name === 'type') return object.type;
  const child = object.children.find((c) => c.path === `${object.path}/${name}`);
  if (child) return canonicalPath(child);
  const chardev = object.chardev === undefined ? undefined : getChardev(graph, object.chardev);
  if (chardev?.kind === 'socket' && (name === 'connected' || name === 'addr')) {
    const path = chardev.filename.replace(/^disconnected:/, '').replace(/^unix:/, '').replace(/,server=on$/, '');
    return name === 'connected' ? chardev.monitor : { path, type: 'unix' };
  }
  return fail(msg.qomValueNotSimulated(object.type, name));
}

export const qomGet: Command = {
  args: struct(req('path', str), req('property', str)),
  run(graph, args) {
    const object = objectAt(graph, args['path'] as string);
    const name = args['property'] as string;
    if (!qomProperties(object).some((p) => p.name === name)) fail(msg.qomPropertyNotFound(object.type, name));
    return { graph, events: [], reply: propertyValue(graph, object, name) };
  },
};

export const qomSet: Command = {
  args: struct(req('path', str), req('property', str), req('value', any)),
  run(graph, args) {
    const object = objectAt(graph, args['path'] as string);
    const name = args['property'] as string;
    const property = qomProperties(object).find((p) => p.name === name);
    if (!property) fail(msg.qomPropertyNotFound(object.type, name));
    // type, children and a socket's state have no setter; a throttle group's x-* take none once complete
    if (object.type === 'throttle-group' && name.startsWith('x-')) fail(msg.qomSetAfterInit());
    if (property.type === 'int' || property.type === 'ThrottleLimits') fail(msg.qomValueNotSimulated(object.type, name));
    return fail(msg.qomNotWritable(object.type, name));
  },
};
