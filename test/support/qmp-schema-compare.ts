/**
 * Compares two query-qmp-schema answers whatever names their types were masked to: two types are
 * the same when they have the same shape (meta-type, member names, optionality, features, enum
 * values, tag and cases) and their parts are the same types again, however deep (and through
 * recursive types: partition refinement, as for automata). Alternates' branches are compared as a
 * set (QEMU picks a branch by the JSON type, not by their order), unions' variants by case.
 */
export type SchemaInfo = Readonly<Record<string, unknown>>;

interface Node {
  readonly shape: string;
  readonly children: readonly string[];
  readonly unordered: boolean;
  /** What the children are, for an explanation: `member x`, `case y`, `element`, … */
  readonly roles: readonly string[];
}

type Graph = Map<string, Node>;

const sorted = (list: unknown): string[] => (Array.isArray(list) ? list.map(String).sort() : []);
const members = (info: SchemaInfo): readonly Record<string, unknown>[] => (info['members'] as Record<string, unknown>[] | undefined) ?? [];

function nodeOf(info: SchemaInfo, ref: (name: string) => string): Node {
  const meta = String(info['meta-type']);
  const features = sorted(info['features']);
  switch (meta) {
    case 'builtin':
      return { shape: `builtin ${String(info['name'])}`, children: [], unordered: false, roles: [] };
    case 'array':
      return { shape: 'array', children: [ref(String(info['element-type']))], unordered: false, roles: ['element'] };
    case 'enum':
      return { shape: JSON.stringify(['enum', features, members(info).map((m) => [m['name'], sorted(m['features'])])]), children: [], unordered: false, roles: [] };
    case 'alternate':
      return { shape: JSON.stringify(['alternate', features, members(info).length]), children: members(info).map((m) => ref(String(m['type']))), unordered: true, roles: members(info).map(() => 'branch') };
    case 'object': {
      // variants by case (QEMU picks one by the tag's value, not by their order)
      const variants = [...((info['variants'] as Record<string, unknown>[] | undefined) ?? [])].sort((x, y) => String(x['case']).localeCompare(String(y['case'])));
      const shape = JSON.stringify(['object', features, members(info).map((m) => [m['name'], 'default' in m, sorted(m['features'])]), info['tag'] ?? null, variants.map((v) => v['case'])]);
      const children = [...members(info).map((m) => ref(String(m['type']))), ...variants.map((v) => ref(String(v['type'])))];
      const roles = [...members(info).map((m) => `.${String(m['name'])}`), ...variants.map((v) => `{${String(info['tag'])}=${String(v['case'])}}`)];
      return { shape, children, unordered: false, roles };
    }
    default:
      throw new Error(`no type: ${meta}`);
  }
}

/** The types of one schema as nodes, named `side:name` (arrays by their element). */
function graphOf(schema: readonly SchemaInfo[], side: string, into: Graph): void {
  const ref = (name: string): string => `${side}:${name}`;
  for (const info of schema) {
    const meta = info['meta-type'];
    if (meta === 'command' || meta === 'event') continue;
    into.set(ref(String(info['name'])), nodeOf(info, ref));
  }
}

/** Labels of every node such that equal labels mean the same (unfolded) type. */
function refine(graph: Graph): Map<string, number> {
  const ids = new Map<string, number>();
  const intern = (key: string): number => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  let labels = new Map([...graph].map(([name, node]) => [name, intern(node.shape)]));
  let classes = new Set(labels.values()).size;
  for (;;) {
    ids.clear();
    const next = new Map<string, number>();
    for (const [name, node] of graph) {
      const kids = node.children.map((c) => labels.get(c) ?? -1);
      if (node.unordered) kids.sort((a, b) => a - b);
      next.set(name, intern(JSON.stringify([labels.get(name), kids])));
    }
    const count = new Set(next.values()).size;
    labels = next;
    if (count === classes) return labels;
    classes = count;
  }
}

export interface Entry {
  readonly name: string;
  readonly meta: 'command' | 'event';
  readonly info: SchemaInfo;
}

const entriesOf = (schema: readonly SchemaInfo[]): Map<string, Entry> =>
  new Map(schema.filter((i) => i['meta-type'] === 'command' || i['meta-type'] === 'event').map((i) => [`${String(i['meta-type'])} ${String(i['name'])}`, { name: String(i['name']), meta: i['meta-type'] as 'command' | 'event', info: i }]));

export interface SchemaComparison {
  /** `command x` / `event y` in the expected schema only. */
  readonly missing: readonly string[];
  /** … in the actual one only. */
  readonly extra: readonly string[];
  /** In both, different: the entry and where it differs first. */
  readonly different: ReadonlyMap<string, readonly string[]>;
}

/** `actual` (permgraph's) against `expected` (the daemon's). */
export function compareSchemas(
  actual: readonly SchemaInfo[],
  expected: readonly SchemaInfo[],
  fields: readonly ('arg-type' | 'ret-type')[] = ['arg-type', 'ret-type'],
): SchemaComparison {
  const graph: Graph = new Map();
  graphOf(actual, 'a', graph);
  graphOf(expected, 'e', graph);
  const labels = refine(graph);
  const mine = entriesOf(actual);
  const theirs = entriesOf(expected);
  const different = new Map<string, string[]>();
  for (const [key, entry] of mine) {
    const other = theirs.get(key);
    if (!other) continue;
    const why: string[] = [];
    for (const field of ['features', 'allow-oob'] as const) {
      if (JSON.stringify(sorted(entry.info[field] === true ? ['true'] : entry.info[field])) !== JSON.stringify(sorted(other.info[field] === true ? ['true'] : other.info[field]))) {
        why.push(`${field}: ${JSON.stringify(entry.info[field])} ≠ ${JSON.stringify(other.info[field])}`);
      }
    }
    for (const field of fields) {
      if (!(field in other.info)) continue;
      const a = `a:${String(entry.info[field])}`;
      const e = `e:${String(other.info[field])}`;
      if (labels.get(a) !== labels.get(e)) why.push(...explain(graph, labels, a, e, field, new Set()));
    }
    if (why.length > 0) different.set(key, why);
  }
  return {
    missing: [...theirs.keys()].filter((k) => !mine.has(k)).sort(),
    extra: [...mine.keys()].filter((k) => !theirs.has(k)).sort(),
    different,
  };
}

/** Where two types first part: the paths down to the shapes that differ (a few). */
function explain(graph: Graph, labels: Map<string, number>, a: string, e: string, path: string, seen: Set<string>): string[] {
  if (seen.has(`${a} ${e}`)) return [];
  seen.add(`${a} ${e}`);
  const na = graph.get(a);
  const ne = graph.get(e);
  if (!na || !ne) return [`${path}: no type ${na ? e : a}`];
  if (na.shape !== ne.shape || na.children.length !== ne.children.length) return [`${path}: ${na.shape} ≠ ${ne.shape}`];
  if (na.unordered) return [`${path}: alternate branches differ`];
  const out: string[] = [];
  na.children.forEach((child, i) => {
    const other = ne.children[i] as string;
    if (out.length < 4 && labels.get(child) !== labels.get(other)) out.push(...explain(graph, labels, child, other, `${path}${na.roles[i] ?? ''}`, seen));
  });
  return out;
}
