/**
 * query-commands and query-qmp-schema (qapi/control.json, qapi/introspect.json): the commands the
 * model answers, and its QMP schema built from permgraph's own QAPI types: each command's
 * arguments as the registry checks them, its return type (src/qapi/returns.ts) and the events
 * (src/qapi/events.ts), all as the model's QEMU release has them (src/qapi/release-schema.ts).
 * qmp_query_commands() lists the dispatcher's commands; qmp_query_qmp_schema() answers the
 * generated SchemaInfo list.
 */
import { rulesOf } from '../models/rules.js';
import { EVENTS } from '../qapi/events.js';
import { introspect, type SchemaInfo } from '../qapi/introspect.js';
import { schemaFor } from '../qapi/release-schema.js';
import { COMMAND_FEATURES, returnsOf } from '../qapi/returns.js';
import type { Graph } from '../graph/types.js';
import { query, type Command } from './command.js';

type Table = () => Readonly<Record<string, Command>>;

/** The names of the commands a model of `release` answers, in the registry's order. */
const namesFor = (table: Table, release: number): string[] =>
  Object.entries(table())
    .filter(([, command]) => (command.since ?? 0) <= release)
    .map(([name]) => name);

const releaseOf = (graph: Graph): number => rulesOf(graph.model).qapiRelease;

/** The SchemaInfo list of the commands `table` holds, as QEMU `release` describes them. */
export function qmpSchema(table: Readonly<Record<string, Command>>, release: number): SchemaInfo[] {
  const commands = namesFor(() => table, release).map((name) => {
    const command = table[name] as Command;
    const ret = returnsOf(name, release);
    return {
      name,
      args: command.args && schemaFor(command.args, release),
      ret: ret && schemaFor(ret, release),
      features: Object.hasOwn(COMMAND_FEATURES, name) ? COMMAND_FEATURES[name] : undefined,
    };
  });
  return introspect(commands, EVENTS.map((event) => ({ name: event.name, data: schemaFor(event.data, release) })));
}

/** query-commands: `[{name}]` of every command the model answers. */
export const queryCommands = (table: Table): Command => query(undefined, (graph) => namesFor(table, releaseOf(graph)).map((name) => ({ name })));

/** A value no one who is handed it can change (the schema is shared by every call). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const part of Object.values(value)) deepFreeze(part);
  }
  return value;
}

/** query-qmp-schema; the schema is the same for every call of a release: built once. */
export function queryQmpSchema(table: Table): Command {
  const built = new Map<number, SchemaInfo[]>();
  return query(undefined, (graph) => {
    const release = releaseOf(graph);
    let schema = built.get(release);
    if (!schema) built.set(release, (schema = deepFreeze(qmpSchema(table(), release))));
    return schema;
  });
}
