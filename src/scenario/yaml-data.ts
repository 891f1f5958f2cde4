/**
 * YAML text as data: YAML 1.2's core schema only, strict, with its tokens, aliases and nesting
 * bounded (an alias bomb or a cycle is an error), and each problem told with its line and column.
 */
import { isAlias, isCollection, isPair, Lexer, LineCounter, parseDocument, type Document } from 'yaml';
import { at, ScenarioError } from './data-error.js';
import { MAX_ALIAS_COUNT, MAX_YAML_TOKENS } from './data-limits.js';

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

/** YAML text as data; a problem is a ScenarioError at its line and column. */
export function parseYamlText(text: string, file: string): unknown {
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
