/**
 * Which member QEMU names when a struct has several it does not know. qobject_input_push() puts
 * the keys of the input's QDict (in the QDict's order) into a GHashTable, each member visited is
 * taken out of it, and qobject_input_check_struct() names the first key the table hands back:
 * GLib's slot order, not the order the client wrote them in.
 */
import { emptyGHashTable, insertKey, keysInOrder, removeKey } from '../util/ghash.js';
import { qdictKeys } from '../util/qobject.js';
import type { Member } from './schema.js';

/** The key left after visiting `visited` (in that order) that the check names. */
export function firstUnvisited(value: Readonly<Record<string, unknown>>, visited: readonly (readonly Member[])[]): string | undefined {
  let table = emptyGHashTable();
  for (const key of qdictKeys(value, true)) table = insertKey(table, key);
  for (const members of visited) for (const m of members) if (Object.hasOwn(value, m.name)) table = removeKey(table, m.name);
  return keysInOrder(table)[0];
}
