/**
 * How a problem in a data file is told: a ScenarioError of one line that says where and what,
 * `x.yaml: steps[3].arguments: expected an object` or `x.json:4:12: not valid JSON: …`.
 */
import { MAX_NESTING } from './data-limits.js';
import type { LineCounter } from 'yaml';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** `FILE:LINE:COL` for an offset in the text. */
export function at(file: string, lineCounter: LineCounter, offset: number): string {
  const { line, col } = lineCounter.linePos(offset);
  return `${file}:${line}:${col}`;
}

/** A key as it is shown in a message: a very long one cut short. */
export const shortKey = (key: string): string => (key.length > 80 ? `${key.slice(0, 80)}…` : key);

/** `steps[3].arguments`: a path into the data, as messages show it. */
export function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${shortKey(String(key))}` : shortKey(String(key))), '');
}

/** `steps[0].arguments.a.a.a…`: a path, the first levels of a very deep one. */
export function deepPath(path: readonly (string | number)[]): string {
  return path.length > 12 ? `${where(path.slice(0, 12))}… (${path.length - 12} levels further down)` : where(path);
}

export const nestingExceeded = `nesting depth limit exceeded (more than ${MAX_NESTING} levels)`;
