/**
 * qom-list-types and qom-list-properties (qom/qom-qmp-cmds.c) over the QOM types QEMU builds into
 * qemu-storage-daemon, recorded from each release's daemon (test/support/record-qom-types.py into
 * src/commands/qom-types-<release>.ts). The types are kept in the order qom-list-types answers
 * them: object_class_foreach() walks the type table's GHashTable and QAPI_LIST_PREPEND() reverses
 * it; a filter only leaves types out, so every answer is that order, filtered.
 */
import type { Command } from './command.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { bool, opt, req, str, struct } from '../qapi/schema.js';
import { rulesOf } from '../models/rules.js';
import type { Graph } from '../graph/types.js';
import type { QomTypeData } from './qom-type-data.js';
import { QOM_TYPES as QOM_7_2 } from './qom-types-7.2.js';
import { QOM_TYPES as QOM_10_0 } from './qom-types-10.0.js';

const dataOf = (graph: Graph): QomTypeData => (rulesOf(graph.model).qapiRelease >= 1000 ? QOM_10_0 : QOM_7_2);

/** The type and its parents (type_is_ancestor()). */
function chain(data: QomTypeData, name: string): string[] {
  const out: string[] = [];
  for (let at: string | undefined = name; at !== undefined; at = data.types.find((t) => t.name === at)?.parent) out.push(at);
  return out;
}

/**
 * object_class_dynamic_cast(): to an interface type, through exactly one of the class's interfaces
 * (more than one is ambiguous and fails); else through the type's parent chain. An unknown target fails.
 */
export function implementsType(data: QomTypeData, name: string, target: string): boolean {
  if (!data.types.some((t) => t.name === target)) return false;
  const interfaces = new Set(chain(data, name).flatMap((c) => data.types.find((t) => t.name === c)?.implements ?? []));
  if (interfaces.size > 0 && chain(data, target).includes('interface')) {
    return [...interfaces].filter((i) => chain(data, i).includes(target)).length === 1;
  }
  return chain(data, name).includes(target);
}

/** qmp_qom_list_types(): object_class_foreach() with qom_list_types_tramp(). */
export const qomListTypes: Command = {
  args: struct(opt('implements', str), opt('abstract', bool)),
  run(graph, args) {
    const data = dataOf(graph);
    const implementsName = args['implements'] as string | undefined;
    const withAbstract = args['abstract'] === true;
    const reply = data.types
      .filter((t) => (withAbstract || !t.abstract) && (implementsName === undefined || implementsType(data, t.name, implementsName)))
      .map((t) => ({ name: t.name, ...(t.abstract ? { abstract: true } : {}), ...(t.parent === undefined ? {} : { parent: t.parent }) }));
    return { graph, events: [], reply };
  },
};

/** qmp_qom_list_properties(). */
export const qomListProperties: Command = {
  args: struct(req('typename', str)),
  run(graph, args) {
    const data = dataOf(graph);
    const name = args['typename'] as string;
    if (!data.types.some((t) => t.name === name)) throw new QmpError('DeviceNotFound', msg.qomClassNotFound(name));
    if (!chain(data, name).includes('object')) fail(msg.qomNotAQomType());
    if (data.aborts.includes(name)) fail(msg.qomListPropertiesAborts(name));
    return { graph, events: [], reply: data.properties[name] ?? [] };
  },
};
