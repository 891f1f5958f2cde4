/**
 * JSON text as data: its nesting bounded before it is parsed, and a problem told with its line
 * and column, which JSON.parse does not always give.
 */
import { LineCounter } from 'yaml';
import { at, deepPath, nestingExceeded, ScenarioError } from './data-error.js';
import { MAX_NESTING } from './data-limits.js';
import { jsonErrorOffset } from './json-error-offset.js';

/** Where the text's lines start, for at(). */
function lineCounterOf(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  return lineCounter;
}

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

/** JSON text (after a byte order mark, if any) as data, no deeper than MAX_NESTING. */
export function parseJsonText(text: string, file: string): unknown {
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
