/**
 * The differences between two normalized traces, one line each, and a readable per-step report of
 * them. Lists of different lengths are taken apart: the steps item by item, other (sorted) lists
 * by naming the items only one side has.
 */
import { canonical, type NormalizedTrace } from './normalize.js';
import type { JsonObject } from './trace.js';

export interface Difference {
  /** The step's index, or null for the initial observation and the run as a whole. */
  readonly step: number | null;
  /** Where in the step: `error`, `obs.fds`, `obs.graph.edges`... */
  readonly path: string;
  readonly text: string;
}

const short = (value: unknown): string => {
  const text = canonical(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
};

function walk(a: unknown, b: unknown, path: string, sides: readonly [string, string], out: { path: string; text: string }[]): void {
  const [left, right] = sides;
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in a)) out.push({ path: at, text: `only in ${right}: ${short(b[key])}` });
      else if (!(key in b)) out.push({ path: at, text: `only in ${left}: ${short(a[key])}` });
      else walk(a[key], b[key], at, sides, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && canonical(a) !== canonical(b)) {
    const rest = b.map(canonical);
    for (const item of a) {
      const at = rest.indexOf(canonical(item));
      if (at >= 0) rest.splice(at, 1);
      else out.push({ path, text: `only in ${left}: ${short(item)}` });
    }
    for (const item of rest) out.push({ path, text: `only in ${right}: ${short(JSON.parse(item))}` });
    return;
  }
  if (canonical(a) !== canonical(b)) out.push({ path, text: `${left} ${short(a)}, ${right} ${short(b)}` });
}

/** Every difference between `a` and `b` (named `sides[0]`, `sides[1]` in the texts). */
export function differences(a: NormalizedTrace, b: NormalizedTrace, sides: readonly [string, string]): Difference[] {
  const out: Difference[] = [];
  const add = (step: number | null) => (d: { path: string; text: string }): void => void out.push({ step, ...d });
  const top: { path: string; text: string }[] = [];
  walk({ initial: a.initial, aborted: a.aborted, daemon_killed_by: a.daemon_killed_by }, { initial: b.initial, aborted: b.aborted, daemon_killed_by: b.daemon_killed_by }, '', sides, top);
  top.forEach(add(null));
  const steps = Math.max(a.steps.length, b.steps.length);
  for (let i = 0; i < steps; i++) {
    const [x, y] = [a.steps[i], b.steps[i]];
    const found: { path: string; text: string }[] = [];
    if (!x) found.push({ path: '', text: `only in ${sides[1]}: ${short(y)}` });
    else if (!y) found.push({ path: '', text: `only in ${sides[0]}: ${short(x)}` });
    else walk(x, y, '', sides, found);
    found.forEach(add(i));
  }
  return out;
}

/** `[3] obs.fds: only in daemon: "…"`: a difference on one line. */
export const differenceLine = (d: Difference): string => `${d.step === null ? '[run]' : `[${d.step}]`} ${d.path ? `${d.path}: ` : ''}${d.text}`;

function stepTitle(step: JsonObject | undefined): string {
  if (!step) return '';
  if (typeof step['execute'] === 'string') return `${step['execute']} ${step['arguments'] ? canonical(step['arguments']) : ''}`.trim();
  for (const key of ['wait-event', 'wait-job', 'sleep', 'advance']) if (key in step) return `${key} ${canonical(step[key])}`;
  return '';
}

/** The differences grouped by step, under each step's command, for people to read. */
export function formatDifferences(a: NormalizedTrace, diffs: readonly Difference[]): string {
  const lines: string[] = [];
  let current: number | null | undefined;
  for (const d of diffs) {
    if (d.step !== current) {
      current = d.step;
      lines.push(d.step === null ? 'run:' : `step ${d.step}: ${stepTitle(a.steps[d.step])}`);
    }
    lines.push(`    ${d.path ? `${d.path}: ` : ''}${d.text}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
