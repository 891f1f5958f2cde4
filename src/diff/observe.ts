/**
 * An observation made of the replies to the queries the oracle sends after every step, the same
 * for the daemon and for permgraph: query-named-block-nodes (flat), x-debug-query-block-graph,
 * query-jobs, query-block-exports. Graph nodes are labelled `type:name`, or `type#id` when
 * nameless. A reply that is an error is kept as it is.
 */
import type { EdgeObservation, FdObservation, Json, JsonObject, Observation } from './trace.js';

export type Reply = { readonly return: Json } | { readonly error: JsonObject } | JsonObject;

/** The queries, in the order they are sent. */
export const OBSERVATION_QUERIES: readonly (readonly [string, JsonObject | undefined])[] = [
  ['query-named-block-nodes', { flat: true }],
  ['x-debug-query-block-graph', undefined],
  ['query-jobs', undefined],
  ['query-block-exports', undefined],
];

const returned = (reply: Reply): Json | undefined => ('return' in reply ? (reply.return as Json) : undefined);
const byKey = <T>(key: (item: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const sortedPerms = (value: Json | undefined): string[] => (Array.isArray(value) ? [...(value as string[])].sort() : []);

function nodes(reply: Reply): Observation['nodes'] {
  const list = returned(reply);
  if (!Array.isArray(list)) return reply as JsonObject;
  return (list as JsonObject[])
    .map((n) => ({ 'node-name': n['node-name'] as string, drv: n['drv'] as string, ro: n['ro'] as boolean, file: n['file'] as string }))
    .sort(byKey((n) => n['node-name'] ?? ''));
}

function graph(reply: Reply): Observation['graph'] {
  const g = returned(reply) as { nodes?: JsonObject[]; edges?: JsonObject[] } | undefined;
  if (!g || !Array.isArray(g.nodes) || !Array.isArray(g.edges)) return reply as JsonObject;
  const label = new Map<Json, string>();
  for (const n of g.nodes) {
    const name = (n['name'] as string | undefined) ?? '';
    label.set(n['id']!, name ? `${n['type']}:${name}` : `${n['type']}#${n['id']}`);
  }
  const edges: EdgeObservation[] = g.edges
    .map((e) => ({
      parent: label.get(e['parent']!) ?? String(e['parent']),
      child: label.get(e['child']!) ?? String(e['child']),
      name: e['name'] as string,
      perm: sortedPerms(e['perm']),
      'shared-perm': sortedPerms(e['shared-perm']),
    }))
    .sort(byKey((e) => `${e.parent}\u0000${e.name}\u0000${e.child}`));
  return { nodes: g.nodes.map((n) => label.get(n['id']!)!).sort(), edges };
}

function jobs(reply: Reply): Observation['jobs'] {
  const list = returned(reply);
  if (!Array.isArray(list)) return reply as JsonObject;
  return (list as JsonObject[])
    .map((j) => ({ id: j['id'] as string, type: j['type'] as string, status: j['status'] as string }))
    .sort(byKey((j) => j.id));
}

function exports(reply: Reply): Observation['exports'] {
  const list = returned(reply);
  if (!Array.isArray(list)) return reply as JsonObject;
  return (list as JsonObject[])
    .map((e) => ({ id: e['id'] as string, type: e['type'] as string, 'node-name': e['node-name'] as string, 'shutting-down': e['shutting-down'] as boolean }))
    .sort(byKey((e) => e.id));
}

/** The observation from the four query replies (in OBSERVATION_QUERIES' order) and the open files. */
export function observation(replies: readonly Reply[], fds: Observation['fds']): Observation {
  const [n, g, j, e] = replies as [Reply, Reply, Reply, Reply];
  return { nodes: nodes(n), graph: graph(g), jobs: jobs(j), exports: exports(e), fds };
}

/** permgraph's x-permgraph-query-open-files reply as the daemon's open-file records. */
export function openFilesFromReply(reply: Reply): Observation['fds'] {
  const list = returned(reply);
  if (!Array.isArray(list)) return { error: `x-permgraph-query-open-files: ${JSON.stringify(reply).slice(0, 500)}` };
  return (list as JsonObject[])
    .map((f): FdObservation => ({ path: f['path'] as string, mode: f['mode'] as string, locks: sortedPerms(f['locks']) }))
    .sort(byKey((f) => `${f.path} ${f.mode} ${f.locks.join(',')}`));
}
