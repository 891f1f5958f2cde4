/**
 * Reading a JSON or YAML data file (a scenario, a universe, a recorded trace) and checking it with
 * a zod schema. What is read is bounded (size, nesting, YAML tokens and aliases), and a problem
 * becomes one line that says where and what: `x.yaml: steps[3].arguments: expected an object`.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isAlias, isCollection, isPair, Lexer, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

/** The most a data file (scenario, universe, recorded trace) may hold; larger ones are refused unread. */
export const MAX_DATA_FILE_BYTES = 16 * 1024 * 1024;
const MAX_DATA_FILE_TEXT = '16 MiB';
/** The deepest nesting of lists and maps in a data file, as QEMU's JSON parser allows (MAX_NESTING). */
export const MAX_NESTING = 1024;
/** A YAML anchor may be used this often (times the aliases inside it); more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;
/** What a file's data may add up to, counted as if written out (aliases expanded). */
const MAX_EXPANDED_SIZE = 2 * MAX_DATA_FILE_BYTES;
const MAX_EXPANDED_TEXT = '32 MiB';
/**
 * The most tokens (values, indicators, line breaks) a YAML file may hold. Reading YAML takes some
 * hundred bytes per token, JSON a few, so a large file is better written as JSON.
 */
export const MAX_YAML_TOKENS = 262_144;
const CHUNK_BYTES = 64 * 1024;

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const ERRNO_WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
};

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'not a regular file (a FIFO)';
  if (stats.isCharacterDevice()) return 'not a regular file (a character device)';
  if (stats.isBlockDevice()) return 'not a regular file (a block device)';
  if (stats.isSocket()) return 'not a regular file (a socket)';
  return 'not a regular file';
}

function cannotRead(file: string, error: unknown): ScenarioError {
  if (error instanceof ScenarioError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why = (code && ERRNO_WHY[code]) ?? (code || (error as Error).message);
  return new ScenarioError(`${file}: cannot read: ${why}`);
}

/**
 * The file's text, read in chunks and never more than MAX_DATA_FILE_BYTES of it: a missing,
 * unreadable or non-regular file (a directory, a FIFO, /dev/zero) or a larger one is a
 * ScenarioError, found without reading it all.
 */
export function readDataFile(file: string): string {
  const tooLarge = (): ScenarioError => new ScenarioError(`${file}: cannot read: larger than ${MAX_DATA_FILE_TEXT}`);
  let fd: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new ScenarioError(`${file}: cannot read: ${kindOf(stats)}`);
    if (stats.size > MAX_DATA_FILE_BYTES) throw tooLarge();
    // O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(file, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new ScenarioError(`${file}: cannot read: ${kindOf(stats)}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_DATA_FILE_BYTES) throw tooLarge();
      chunks.push(n === CHUNK_BYTES ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (error) {
    throw cannotRead(file, error);
  } finally {
    closeSync(fd);
  }
}

/** `FILE:LINE:COL` for an offset in the text. */
function at(file: string, lineCounter: LineCounter, offset: number): string {
  const { line, col } = lineCounter.linePos(offset);
  return `${file}:${line}:${col}`;
}

/**
 * Aliases that name no anchor before them, or a collection they lie inside (`a: &x [*x]`, which
 * would be a cycle), are errors at the alias. Walked without recursion, in document order.
 */
function checkAliases(doc: Document.Parsed, file: string, lineCounter: LineCounter): void {
  const anchors = new Map<string, unknown>();
  const inside = new Set<unknown>();
  const stack: { node: unknown; leave: boolean }[] = [{ node: doc.contents, leave: false }];
  while (stack.length > 0) {
    const { node, leave } = stack.pop()!;
    if (leave) {
      inside.delete(node);
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const where = at(file, lineCounter, node.range?.[0] ?? 0);
      if (target === undefined) throw new ScenarioError(`${where}: not valid YAML: alias *${node.source} names no anchor before it`);
      if (inside.has(target)) throw new ScenarioError(`${where}: not valid YAML: alias *${node.source} refers to a collection that contains it`);
      continue;
    }
    if (isPair(node)) {
      stack.push({ node: node.value, leave: false }, { node: node.key, leave: false });
      continue;
    }
    if (node && typeof node === 'object' && 'anchor' in node && typeof node.anchor === 'string') anchors.set(node.anchor, node);
    if (isCollection(node)) {
      inside.add(node);
      stack.push({ node, leave: true });
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], leave: false });
    }
  }
}

function parseYamlText(text: string, file: string): unknown {
  let tokens = 0;
  for (const token of new Lexer().lex(text)) {
    if (token && ++tokens > MAX_YAML_TOKENS) throw new ScenarioError(`${file}: too large for YAML: more than ${MAX_YAML_TOKENS} tokens (write it as JSON)`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // a tag outside YAML 1.2's core schema (!!binary, !!set, !bar) is an error, not a Buffer or a Set
    resolveKnownTags: false,
    stringKeys: true,
    uniqueKeys: true,
    strict: true,
    logLevel: 'error',
  });
  const problem = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (problem) {
    const what = problem.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply' : problem.message.split('\n')[0]!;
    throw new ScenarioError(`${at(file, lineCounter, problem.pos[0])}: not valid YAML: ${what}`);
  }
  if (doc.directives?.yaml.version !== undefined && doc.directives.yaml.version !== '1.2') {
    // YAML 1.1 would make dates, sets and binary data of plain values
    const where = at(file, lineCounter, Math.max(0, text.indexOf('%YAML')));
    throw new ScenarioError(`${where}: not valid YAML: only YAML 1.2 is read, not ${doc.directives.yaml.version}`);
  }
  checkAliases(doc, file, lineCounter);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const what = error instanceof RangeError ? 'nested too deeply' : /alias count/.test((error as Error).message) ? `an anchor is used more than ${MAX_ALIAS_COUNT} times over (an alias bomb?)` : (error as Error).message.split('\n')[0]!;
    throw new ScenarioError(`${file}: not valid YAML: ${what}`);
  }
}

function lineCounterOf(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  return lineCounter;
}

/** `steps[0].arguments.a.a.a…`: a path, the first levels of a very deep one. */
function deepPath(path: readonly (string | number)[]): string {
  return path.length > 12 ? `${where(path.slice(0, 12))}… (${path.length - 12} levels further down)` : where(path);
}

const nestingExceeded = `nesting depth limit exceeded (more than ${MAX_NESTING} levels)`;

/**
 * Where JSON text first opens a list or map deeper than MAX_NESTING, found by a scan of its
 * brackets (outside strings) before it is parsed, so that a file of deep nesting costs no more
 * than its text: its offset and the path to it, or null.
 */
function tooDeepJson(text: string): { offset: number; path: (string | number)[] } | null {
  /** For each open list its index, for each open map its current key. */
  const path: (string | number)[] = [];
  let lastString = '""';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastString = text.slice(i, j + 1);
      i = j;
    } else if (c === '[' || c === '{') {
      if (path.length >= MAX_NESTING) return { offset: i, path };
      path.push(c === '[' ? 0 : '');
    } else if (c === ']' || c === '}') {
      path.pop();
    } else if (c === ',' && typeof path[path.length - 1] === 'number') {
      path[path.length - 1] = (path[path.length - 1] as number) + 1;
    } else if (c === ':' && typeof path[path.length - 1] === 'string') {
      try {
        path[path.length - 1] = String(JSON.parse(lastString));
      } catch {
        path[path.length - 1] = lastString;
      }
    }
  }
  return null;
}

/**
 * Where JSON text first goes wrong (JSON.parse does not always say): the offset of the first
 * character that cannot continue it, or -1. A scan without recursion, run only on a failed parse.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text.charCodeAt(i) < 0x20) return false;
      if (text[i] === '\\') {
        const escaped = text[++i] ?? '';
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 4;
        } else if (!'"\\/bfnrt'.includes(escaped) || escaped === '') return false;
      }
    }
    if (i >= text.length) return false;
    i++;
    return true;
  };
  const scalar = (): boolean => {
    if (string()) return true;
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const open: string[] = [];
  let expect: 'value' | 'first value' | 'key' | 'first key' | 'after' = 'value';
  for (;;) {
    space();
    if (expect === 'value' || expect === 'first value') {
      if (expect === 'first value' && text[i] === ']') {
        open.pop();
        i++;
        expect = 'after';
      } else if (text[i] === '[' || text[i] === '{') {
        open.push(text[i]!);
        expect = text[i++] === '[' ? 'first value' : 'first key';
      } else if (scalar()) expect = 'after';
      else return i;
    } else if (expect === 'key' || expect === 'first key') {
      if (expect === 'first key' && text[i] === '}') {
        open.pop();
        i++;
        expect = 'after';
        continue;
      }
      if (!string()) return i;
      space();
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
    } else {
      const top = open[open.length - 1];
      if (top === undefined) return i < text.length ? i : -1;
      if (text[i] === ',') {
        i++;
        expect = top === '[' ? 'value' : 'key';
      } else if (text[i] === (top === '[' ? ']' : '}')) {
        open.pop();
        i++;
      } else return i;
    }
  }
}

function parseJsonText(text: string, file: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const deep = tooDeepJson(body);
  if (deep) throw new ScenarioError(`${at(file, lineCounterOf(body), deep.offset)}: ${deepPath(deep.path)}: ${nestingExceeded}`);
  try {
    return JSON.parse(body);
  } catch (error) {
    // V8 says `Unexpected token '}', "…" is not valid JSON` (quoting the text) or `… in JSON at position N`
    const what = (error as Error).message
      .replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '')
      .split('\n')[0]!
      .replace(/ (in JSON )?at position \d+.*$/, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    const offset = jsonErrorOffset(body);
    throw new ScenarioError(`${offset < 0 ? file : at(file, lineCounterOf(body), offset)}: not valid JSON: ${what}`);
  }
}

/**
 * No deeper than MAX_NESTING, and no larger than MAX_EXPANDED_SIZE when written out, so that
 * nothing that walks the data later can run out of stack or memory. Walked without recursion.
 */
function checkShape(data: unknown, file: string): void {
  /** A list or map on the way down; the path to it is kept as links to its parents. */
  interface Container {
    readonly value: object;
    readonly depth: number;
    readonly parent: Container | null;
    readonly key: string | number | null;
  }
  const pathOf = (container: Container): (string | number)[] => {
    const keys: (string | number)[] = [];
    for (let c: Container | null = container; c && c.key !== null; c = c.parent) keys.push(c.key);
    return keys.reverse();
  };
  let size = 0;
  const count = (value: unknown): void => {
    size += typeof value === 'string' ? value.length + 2 : 1;
    if (size > MAX_EXPANDED_SIZE) throw new ScenarioError(`${file}: its aliases expand to more than ${MAX_EXPANDED_TEXT}`);
  };
  count(data);
  if (!data || typeof data !== 'object') return;
  const stack: Container[] = [{ value: data, depth: 1, parent: null, key: null }];
  while (stack.length > 0) {
    const container = stack.pop()!;
    if (container.depth > MAX_NESTING) throw new ScenarioError(`${file}: ${deepPath(pathOf(container))}: ${nestingExceeded}`);
    const visit = (key: string | number, value: unknown): void => {
      count(value);
      if (value && typeof value === 'object') stack.push({ value, depth: container.depth + 1, parent: container, key });
    };
    if (Array.isArray(container.value)) {
      const list: readonly unknown[] = container.value;
      for (let i = list.length - 1; i >= 0; i--) visit(i, list[i]);
    } else {
      const map = container.value as Readonly<Record<string, unknown>>;
      const keys = Object.keys(map);
      for (let i = keys.length - 1; i >= 0; i--) {
        size += keys[i]!.length + 3;
        visit(keys[i]!, map[keys[i]!]);
      }
    }
  }
}

/** The text as data, YAML for a .yaml or .yml file, else JSON; its nesting and size bounded. */
export function parseDataText(text: string, file: string): unknown {
  const data = /\.ya?ml$/i.test(file) ? parseYamlText(text, file) : parseJsonText(text, file);
  checkShape(data, file);
  return data;
}

/** A key as it is shown in a message: a very long one cut short. */
const shortKey = (key: string): string => (key.length > 80 ? `${key.slice(0, 80)}…` : key);

/** `steps[3].arguments`: a path into the data, as messages show it. */
export function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${shortKey(String(key))}` : shortKey(String(key))), '');
}

/** The most telling issue of a failed parse: for a union (a step), the branch that got furthest. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((b) => b.length > 0);
    const best = branches.find((b) => b.every((i) => i.code !== 'unrecognized_keys')) ?? branches[0];
    const inner = best?.[0];
    if (inner) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
  }
  if (issue.code === 'unrecognized_keys') return `${where(issue.path) || '(top)'}: unknown field '${shortKey(String(issue.keys[0]))}'`;
  return `${where(issue.path) || '(top)'}: ${issue.message}`;
}

/** The data checked against the schema; the first problem is a ScenarioError. */
export function checkData<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new ScenarioError(`${file}: ${describeIssue(result.error.issues[0]!)}`);
  return result.data;
}
