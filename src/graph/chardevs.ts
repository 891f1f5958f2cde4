/**
 * The /chardevs container of a snapshot: its character devices by id, and the order QOM keeps its
 * children in (a GHashTable's, src/util/ghash.ts), which is the order query-chardev lists them in,
 * backwards (qmp_query_chardev() prepends each child object_child_foreach() visits).
 */
import { emptyGHashTable, insertKey, keysInOrder, removeKey } from '../util/ghash.js';
import { nameRecord, ownEntry } from '../util/records.js';
import type { Chardev, Chardevs, Graph } from './types.js';

const EMPTY: Chardevs = { byId: nameRecord(), order: emptyGHashTable() };

export const getChardev = (g: Graph, id: string): Chardev | undefined => (g.chardevs ? ownEntry(g.chardevs.byId, id) : undefined);

/** The chardevs in the container's iteration order. */
export function chardevsInOrder(g: Graph): Chardev[] {
  const table = g.chardevs ?? EMPTY;
  return keysInOrder(table.order).map((id) => table.byId[id]!);
}

/** object_property_add_child() of a new chardev, or the same one changed in place (its state). */
export function putChardev(g: Graph, chardev: Chardev): Graph {
  const table = g.chardevs ?? EMPTY;
  return { ...g, chardevs: { byId: nameRecord({ ...table.byId, [chardev.id]: chardev }), order: insertKey(table.order, chardev.id) } };
}

/** object_unparent(): gone from the container. */
export function removeChardev(g: Graph, id: string): Graph {
  const table = g.chardevs ?? EMPTY;
  const { [id]: _gone, ...rest } = table.byId;
  return { ...g, chardevs: { byId: nameRecord(rest), order: removeKey(table.order, id) } };
}

/** A QMP monitor's chardev from the command line (`--chardev socket,id=ID,path=PATH,server=on,wait=off`). */
export interface MonitorChardev {
  readonly id: string;
  readonly path: string;
}

/** The snapshot with the monitors' chardevs in place, as the daemon starts with them. */
export const withMonitors = (g: Graph, monitors: readonly MonitorChardev[]): Graph =>
  monitors.reduce((graph, m) => putChardev(graph, { id: m.id, kind: 'socket', filename: `unix:${m.path},server=on`, monitor: true }), g);
