/**
 * Finding a universe's symmetry group. The names: tokens of the strings a command gives where
 * QMP takes a name (node names, export and job ids, devices, paths, sockets) and of the paths of
 * the setup, chmod and qemu-nbd, less every token the universe or the engine also uses as a word
 * (argument keys, other string values, driver names, the snapshot's own vocabulary). Candidate
 * renamings swap two names and the names made from them alike (`n1`↔`n2` brings `e1`↔`e2` and
 * `c1`↔`c2`; `a0`↔`b0` brings `a1`↔`b1`); a candidate is kept when the renamed setup and files
 * are the same, the renamed alphabet is the same set of commands, the first state's canonical
 * text is its own renaming, and the renamed start, run, gives that first state again. The kept
 * ones generate the group, at most `cap` elements (a generator that would pass it is left out).
 */
import { JOB_CHART } from '../../machines/job.chart.js';
import { DRIVERS } from '../drivers/registry.js';
import { renamedStateText, renameText, stateSections, tokensOf, type Renaming } from './symmetry-text.js';
import type { Universe } from './universe.js';
import { World } from './world.js';

/** Argument keys whose string values are names. */
const NAME_KEYS = new Set([
  'node-name', 'id', 'job-id', 'device', 'file', 'backing', 'top-node', 'base-node', 'target', 'filename', 'path', 'drive',
  'replaces', 'node', 'overlay', 'snapshot-file', 'snapshot-node-name', 'name', 'export', 'bitmap', 'mountpoint',
]);

/** Words the snapshot's text uses of its own (edge names, states, kinds): never names to swap. */
const VOCABULARY = [
  'file', 'backing', 'root', 'main', 'node', 'job', 'export', 'device', 'internal', 'nbd', 'inactive', 'O_RDONLY', 'O_RDWR',
  'commit', 'stream', 'mirror', 'backup', 'create', 'amend', 'pivot', 'no', 'kind', 'scenario', 'W', 'virtual', 'unix', 'inet',
  'fd', 'vsock', 'x', 'j', 'd', 'i', 'b', 'p', 'c', 'r', 'w', 'rw', 'ro', 'true', 'false', 'stopped',
  ...Object.keys(JOB_CHART.states),
  // the node machine's states (NodeStateName)
  'closed', 'routing', 'readOnly', 'readWrite', 'idle', 'reopeningReadWrite', 'active', 'reopeningReadOnly', 'fdIdle',
  'fdReopeningReadWrite', 'fdActive', 'fdReopeningReadOnly', 'roFdIdle', 'roFdReopeningReadWrite', 'roFdActive', 'roFdReopeningReadOnly',
];

/** A universe's symmetry group. */
export interface Symmetry {
  /** The interchangeable names (tokens) the renamings move. */
  readonly atoms: readonly string[];
  /** Every element of the group, the identity first. */
  readonly renamings: readonly Renaming[];
  /**
   * For each element, the universe's command numbers it maps to: `commands[i]` renamed is
   * `commands[commandMaps[k][i]]` (the identity first).
   */
  readonly commandMaps: readonly Int32Array[];
}

type Json = unknown;

/** Calls `visit(key, value)` for every string in a JSON value, with the key it is under (or ''), and every key. */
function walkStrings(value: Json, key: string, visit: (key: string, text: string) => void, keys: (key: string) => void): void {
  if (typeof value === 'string') visit(key, value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, key, visit, keys);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys(k);
      walkStrings(v, k, visit, keys);
    }
  }
}

const isPath = (text: string): boolean => text.startsWith('$W') || text.startsWith('/');

/** The universe's interchangeable names, sorted. */
export function candidateAtoms(universe: Universe): string[] {
  const names = new Set<string>();
  const reserved = new Set<string>([...VOCABULARY, ...tokensOf(universe.name), ...Object.keys(DRIVERS).flatMap(tokensOf)]);
  const reserve = (text: string): void => tokensOf(text).forEach((t) => reserved.add(t));
  const visit = (key: string, text: string): void => {
    const named = isPath(text) || NAME_KEYS.has(key);
    for (const t of tokensOf(text)) (named ? names : reserved).add(t);
  };
  const commands = [...universe.start, ...universe.commands];
  walkStrings(commands, '', visit, reserve);
  walkStrings(universe.setup ?? [], '', visit, reserve);
  for (const path of Object.keys(universe.files ?? {})) tokensOf(path).forEach((t) => names.add(t));
  return [...names].filter((t) => !reserved.has(t) && !/^\d+$/.test(t)).sort();
}

/** JSON with keys sorted: the same for the same value however it was written. */
export function stableJson(value: Json): string {
  return JSON.stringify(value, (_key, v: Json) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The renamings worth trying for a pair of names: the pair alone, and with the names made alike. */
function candidates(a: string, b: string, atoms: ReadonlySet<string>): Map<string, string>[] {
  const out: Map<string, string>[] = [new Map([[a, b], [b, a]])];
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
  const [s, t] = [a.slice(p), b.slice(p)];
  const [u, v] = [a.slice(0, a.length - q), b.slice(0, b.length - q)];
  const family = (matches: (x: string) => string | undefined): Map<string, string> | undefined => {
    const m = new Map<string, string>();
    for (const x of atoms) {
      const y = matches(x);
      if (y === undefined || !atoms.has(y) || x === y) continue;
      if ((m.get(x) ?? y) !== y || (m.get(y) ?? x) !== x) return undefined;
      m.set(x, y).set(y, x);
    }
    return m;
  };
  // same stem, different suffix: x = stem' + s ↔ stem' + t
  const bySuffix = family((x) => (x.endsWith(s) ? x.slice(0, x.length - s.length) + t : x.endsWith(t) ? x.slice(0, x.length - t.length) + s : undefined));
  const byPrefix = family((x) => (x.startsWith(u) ? v + x.slice(u.length) : x.startsWith(v) ? u + x.slice(v.length) : undefined));
  for (const m of [bySuffix, byPrefix]) if (m && m.size > 2) out.push(m);
  return out;
}

/**
 * The names the engine also writes as words of its own in the first state: the first state's
 * tokens once every name is renamed to a fresh token (all the names, when that start fails).
 */
export function wordsAmongNames(universe: Universe, world: World, atoms: readonly string[]): Set<string> {
  const taken = new Set(tokensOf(JSON.stringify(universe)));
  const fresh = new Map<string, string>();
  for (const atom of atoms) {
    let k = fresh.size;
    while (taken.has(`zq${k}`)) k++;
    taken.add(`zq${k}`);
    fresh.set(atom, `zq${k}`);
  }
  const renamed = <T>(value: T): T => JSON.parse(renameText(JSON.stringify(value), fresh)) as T;
  try {
    const probe = new World({ ...universe, start: renamed(universe.start), setup: renamed(universe.setup ?? []), files: renamed(universe.files ?? {}) }, world.options);
    const words = new Set(tokensOf(renamedStateText(stateSections(probe.initial), new Map())));
    return new Set(atoms.filter((a) => words.has(a)));
  } catch {
    return new Set(atoms);
  }
}

/** Checks a renaming against the universe; its map of command numbers when it keeps the universe. */
function validate(universe: Universe, world: World, renaming: Renaming, alphabet: Map<string, number[]>, words: () => ReadonlySet<string>): Int32Array | undefined {
  const same = (list: readonly Json[]): boolean => {
    const own = list.map(stableJson).sort();
    const renamed = own.map((text) => renameText(text, renaming)).sort();
    return own.every((text, i) => text === renamed[i]);
  };
  if (!same(universe.setup ?? []) || !same(Object.entries(universe.files ?? {}))) return undefined;
  const map = commandMap(world, renaming, alphabet);
  if (!map) return undefined;
  const sections = stateSections(world.initial);
  const first = renamedStateText(sections, new Map());
  if (renamedStateText(sections, renaming) !== first) return undefined;
  const engineWords = words();
  if ([...renaming.keys()].some((name) => engineWords.has(name))) return undefined;
  try {
    const start = JSON.parse(renameText(JSON.stringify(universe.start), renaming)) as Universe['start'];
    const again = new World({ ...universe, start }, world.options);
    return renamedStateText(stateSections(again.initial), new Map()) === first ? map : undefined;
  } catch {
    return undefined;
  }
}

/** Where the renaming sends each command of the alphabet; undefined when one leaves it. */
function commandMap(world: World, renaming: Renaming, alphabet: Map<string, number[]>): Int32Array | undefined {
  const map = new Int32Array(world.commands.length);
  const used = new Map<string, number>();
  for (let i = 0; i < world.commands.length; i++) {
    const text = renameText(stableJson(world.commands[i]), renaming);
    const at = alphabet.get(text);
    const n = used.get(text) ?? 0;
    if (!at || n >= at.length) return undefined;
    used.set(text, n + 1);
    map[i] = at[n]!;
  }
  return map;
}

const compose = (atoms: readonly string[], f: Renaming, g: Renaming): Map<string, string> => {
  const m = new Map<string, string>();
  for (const x of atoms) {
    const gx = g.get(x) ?? x;
    const y = f.get(gx) ?? gx;
    if (y !== x) m.set(x, y);
  }
  return m;
};
const elementKey = (atoms: readonly string[], f: Renaming): string => atoms.map((x) => f.get(x) ?? x).join(' ');

/** The group the generators make, or undefined once it has more than `cap` elements. */
function closure(atoms: readonly string[], generators: readonly Renaming[], cap: number): Renaming[] | undefined {
  const elements: Renaming[] = [new Map()];
  const seen = new Set([elementKey(atoms, elements[0]!)]);
  for (let i = 0; i < elements.length; i++) {
    for (const g of generators) {
      const product = compose(atoms, g, elements[i]!);
      const key = elementKey(atoms, product);
      if (seen.has(key)) continue;
      if (elements.length >= cap) return undefined;
      seen.add(key);
      elements.push(product);
    }
  }
  return elements;
}

export function findGroup(universe: Universe, world: World, cap: number): Symmetry | undefined {
  const atoms = candidateAtoms(universe);
  const atomSet = new Set(atoms);
  const alphabet = new Map<string, number[]>();
  world.commands.forEach((c, i) => {
    const text = stableJson(c);
    alphabet.set(text, [...(alphabet.get(text) ?? []), i]);
  });
  let words: Set<string> | undefined;
  const wordsOf = (): Set<string> => (words ??= wordsAmongNames(universe, world, atoms));
  const generators: Renaming[] = [];
  let group: Renaming[] = [new Map()];
  const tried = new Set<string>();
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i + 1; j < atoms.length; j++) {
      for (const renaming of candidates(atoms[i]!, atoms[j]!, atomSet)) {
        const key = elementKey(atoms, renaming);
        if (tried.has(key)) continue;
        tried.add(key);
        if (group.some((e) => elementKey(atoms, e) === key) || !validate(universe, world, renaming, alphabet, wordsOf)) continue;
        const larger = closure(atoms, [...generators, renaming], cap);
        if (!larger) continue;
        generators.push(renaming);
        group = larger;
      }
    }
  }
  if (group.length === 1) return undefined;
  const moved = atoms.filter((x) => group.some((e) => e.has(x)));
  const commandMaps = group.map((e) => commandMap(world, e, alphabet)!);
  return { atoms: moved, renamings: group, commandMaps };
}
