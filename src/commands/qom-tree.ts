/**
 * The QOM tree of the daemon as a snapshot holds it: the root container with /objects (the user
 * objects), /chardevs (the chardevs) and, in 10.0, an empty /backend; and path resolution as
 * qom/object.c does it (object_resolve_path(): absolute paths component by component, empty
 * components skipped; a partial path anywhere in the tree, ambiguous when it fits twice).
 */
import type { Graph } from '../graph/types.js';
import { chardevsInOrder } from '../graph/chardevs.js';
import { rulesOf } from '../models/rules.js';
import { emptyGHashTable, keysInOrder } from '../util/ghash.js';
import { ownEntry } from '../util/records.js';
import { QOM_TYPE_PROPERTIES, rootContainers, type QomProperty } from './qom-data.js';

export interface QomObject {
  readonly path: string;
  readonly type: string;
  /** Children in qom-list's order. */
  readonly children: readonly QomObject[];
  /** What it is in the snapshot: a chardev's or an object's id. */
  readonly chardev?: string;
}

function container(path: string, children: QomObject[]): QomObject {
  return { path, type: 'container', children };
}

/** The tree of the snapshot, root first. */
export function qomRoot(graph: Graph): QomObject {
  const chardevs = chardevsInOrder(graph)
    .reverse()
    .map((c): QomObject => ({ path: `/chardevs/${c.id}`, type: `chardev-${c.kind}`, children: [], chardev: c.id }));
  const objects = keysInOrder(graph.objectOrder ?? emptyGHashTable())
    .reverse()
    .flatMap((id) => {
      const object = ownEntry(graph.objects, id);
      return object ? [{ path: `/objects/${id}`, type: object.qomType, children: [] }] : [];
    });
  const byName: Record<string, QomObject> = { backend: container('/backend', []), objects: container('/objects', objects), chardevs: container('/chardevs', chardevs) };
  return container('', rootContainers(rulesOf(graph.model).qapiRelease, graph.objectOrder !== undefined).map((name) => byName[name]!));
}

const nameOf = (object: QomObject): string => object.path.slice(object.path.lastIndexOf('/') + 1);
const child = (object: QomObject, name: string): QomObject | undefined => object.children.find((c) => nameOf(c) === name);

function resolveFrom(object: QomObject, parts: readonly string[]): QomObject | undefined {
  let at: QomObject | undefined = object;
  for (const part of parts) if (part !== '' && at) at = child(at, part);
  return at;
}

/** object_resolve_path(): the object, or none (and whether because the partial path fits several). */
export function resolveQomPath(root: QomObject, path: string): { object?: QomObject; ambiguous: boolean } {
  // g_strsplit() of '' gives no parts at all: a partial path every object fits
  const parts = path === '' ? [] : path.split('/');
  if (parts[0] === '') {
    const object = resolveFrom(root, parts.slice(1));
    return object ? { object, ambiguous: false } : { ambiguous: false };
  }
  const found: QomObject[] = [];
  const walk = (at: QomObject): void => {
    const hit = resolveFrom(at, parts);
    if (hit) found.push(hit);
    at.children.forEach(walk);
  };
  walk(root);
  return found.length === 1 ? { object: found[0]!, ambiguous: false } : { ambiguous: found.length > 1 };
}

/** qom-list's entries of an object: `type`, its class properties, then its children (backwards). */
export function qomProperties(object: QomObject): QomProperty[] {
  return [
    { name: 'type', type: 'string' },
    ...(ownEntry(QOM_TYPE_PROPERTIES, object.type) ?? []),
    ...object.children.map((c) => ({ name: nameOf(c), type: `child<${c.type}>` })),
  ];
}

/** The canonical path QEMU gives (object_get_canonical_path()): `/` for the root. */
export const canonicalPath = (object: QomObject): string => object.path || '/';
