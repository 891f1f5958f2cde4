/**
 * What differs between two models at the same step of a scenario, from their two step views: the
 * reply, the nodes whose `ro`, machine state, open mode or bitmaps differ or that one side lacks, the edges
 * whose perm or shared differ or that one side lacks (matched by parent, child name and child, as
 * edge ids are each run's own), and the jobs whose state differs. Pure, and free of Node APIs: the
 * viewer page reads it too.
 */
import { bitmapLines } from '../viz/bitmap-chardev-dot.js';
import type { Difference, EdgeView, JobView, ModelComparison, ModelRun, NodeView, StepDifference, StepView, VertexId } from './view-types.js';

const ABSENT = '—';

/** `base: ro false | true`, `reply: ok | error: …`. */
export const differenceLine = (d: Difference): string => `${d.subject}: ${d.what ? `${d.what} ` : ''}${d.left} | ${d.right}`;

function replyText(reply: unknown): string {
  if (reply === null || typeof reply !== 'object') return ABSENT;
  if ('error' in reply) {
    const error = (reply as { error: { class?: string; desc?: string } }).error;
    return `error ${error.class ?? ''}: ${error.desc ?? ''}`;
  }
  return 'ok';
}

const NODE_FIELDS = [
  ['ro', (n: NodeView) => String(n.ro)],
  ['state', (n: NodeView) => n.state],
  ['open mode', (n: NodeView) => n.openMode ?? ABSENT],
  ['bitmaps', (n: NodeView) => bitmapLines(n).join('; ') || ABSENT],
] as const;

function nodeDifferences(left: readonly NodeView[], right: readonly NodeView[], out: Difference[]): VertexId[] {
  const rightByName = new Map(right.map((n) => [n.name, n]));
  const leftNames = new Set(left.map((n) => n.name));
  const differing: VertexId[] = [];
  for (const a of left) {
    const b = rightByName.get(a.name);
    const found = b
      ? NODE_FIELDS.filter(([, get]) => get(a) !== get(b)).map(([what, get]) => ({ subject: a.name, what, left: get(a), right: get(b) }))
      : [{ subject: a.name, what: 'node', left: a.driver, right: ABSENT }];
    if (found.length) differing.push(`node:${a.name}`);
    out.push(...found);
  }
  for (const b of right.filter((n) => !leftNames.has(n.name))) {
    differing.push(`node:${b.name}`);
    out.push({ subject: b.name, what: 'node', left: ABSENT, right: b.driver });
  }
  return differing;
}

/** Edges by their name across models: `top -backing-> base` (a second such edge: `… #2`). */
function edgesByKey(edges: readonly EdgeView[]): Map<string, EdgeView> {
  const keyed = new Map<string, EdgeView>();
  for (const edge of edges) {
    const base = `${edge.parent.replace(/^\w+:/, '')} -${edge.name}-> ${edge.child}`;
    let key = base;
    for (let n = 2; keyed.has(key); n++) key = `${base} #${n}`;
    keyed.set(key, edge);
  }
  return keyed;
}

const masks = (e: EdgeView): string => `${e.perm} ${e.shared}`;

function edgeDifferences(left: readonly EdgeView[], right: readonly EdgeView[], out: Difference[]): { left: number[]; right: number[] } {
  const a = edgesByKey(left);
  const b = edgesByKey(right);
  const lit = { left: [] as number[], right: [] as number[] };
  for (const [key, ea] of a) {
    const eb = b.get(key);
    const found = eb
      ? (['perm', 'shared'] as const).filter((f) => ea[f] !== eb[f]).map((f) => ({ subject: key, what: f, left: ea[f], right: eb[f] }))
      : [{ subject: key, what: 'edge', left: masks(ea), right: ABSENT }];
    if (!found.length) continue;
    lit.left.push(ea.id);
    if (eb) lit.right.push(eb.id);
    out.push(...found);
  }
  for (const [key, eb] of b) {
    if (a.has(key)) continue;
    lit.right.push(eb.id);
    out.push({ subject: key, what: 'edge', left: ABSENT, right: masks(eb) });
  }
  return lit;
}

function jobDifferences(left: readonly JobView[], right: readonly JobView[], out: Difference[]): VertexId[] {
  const stateOf = (jobs: readonly JobView[], id: string): string => jobs.find((j) => j.id === id)?.state ?? ABSENT;
  const ids = [...new Set([...left, ...right].map((j) => j.id))];
  const differing = ids.filter((id) => stateOf(left, id) !== stateOf(right, id));
  out.push(...differing.map((id) => ({ subject: `job ${id}`, what: 'state', left: stateOf(left, id), right: stateOf(right, id) })));
  return differing.map((id) => `job:${id}`);
}

/** What differs between `left` and `right`, two models' views of the same step. */
export function stepDifference(left: StepView, right: StepView): StepDifference {
  const lines: Difference[] = [];
  const [replyLeft, replyRight] = [replyText(left.reply), replyText(right.reply)];
  if (replyLeft !== replyRight) lines.push({ subject: 'reply', what: '', left: replyLeft, right: replyRight });
  const nodes = nodeDifferences(left.nodes, right.nodes, lines);
  const edges = edgeDifferences(left.edges, right.edges, lines);
  const jobs = jobDifferences(left.jobs, right.jobs, lines);
  return { vertices: [...nodes, ...jobs], leftEdges: edges.left, rightEdges: edges.right, lines };
}

/** Two runs of the same scenario compared step by step. */
export function compareRuns(left: ModelRun, right: ModelRun): ModelComparison {
  const count = Math.min(left.steps.length, right.steps.length);
  const steps = Array.from({ length: count }, (_, i) => stepDifference(left.steps[i]!, right.steps[i]!));
  return { left: left.model, right: right.model, steps };
}

/** Every pair of runs, compared, in the order of the runs. */
export function comparePairs(runs: readonly ModelRun[]): ModelComparison[] {
  return runs.flatMap((left, i) => runs.slice(i + 1).map((right) => compareRuns(left, right)));
}

/** The same difference seen from the other side. */
export const flipped = (d: StepDifference): StepDifference => ({
  vertices: d.vertices,
  leftEdges: d.rightEdges,
  rightEdges: d.leftEdges,
  lines: d.lines.map((line) => ({ ...line, left: line.right, right: line.left })),
});

/** What differs at step `index` between the runs of models `left` and `right`, whichever way round they were compared. */
export function differenceAt(comparisons: readonly ModelComparison[], left: string, right: string, index: number): StepDifference | null {
  for (const c of comparisons) {
    const step = c.steps[index];
    if (!step) continue;
    if (c.left === left && c.right === right) return step;
    if (c.left === right && c.right === left) return flipped(step);
  }
  return null;
}
