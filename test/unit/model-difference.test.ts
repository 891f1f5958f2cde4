/** Two models' views of one step compared: what differs, and which nodes and edges to light on each side. */
import { describe, expect, it } from 'vitest';
import { compareRuns, comparePairs, differenceAt, differenceLine, flipped, stepDifference } from '../../src/view/model-difference.js';
import type { EdgeView, ModelRun, NodeView, StepView } from '../../src/view/view-types.js';

const node = (name: string, fields: Partial<NodeView> = {}): NodeView => ({
  name,
  driver: 'qcow2',
  generated: false,
  ro: false,
  state: 'readWrite',
  openMode: null,
  filename: `/w/${name}.qcow2`,
  perm: '____',
  shared: 'wrus',
  ...fields,
});

const edge = (id: number, parent: string, child: string, name: string, perm = '_r__', shared = 'wrus'): EdgeView => ({ id, parent, child, name, perm, shared });

const step = (fields: Partial<StepView> = {}): StepView => ({
  index: 0,
  title: 'query-block',
  note: null,
  command: { execute: 'query-block' },
  reply: { return: {} },
  events: [],
  changeLines: [],
  check: null,
  nodes: [],
  edges: [],
  users: [],
  jobs: [],
  changed: { nodes: [], edges: [], jobs: [], removed: [] },
  blame: null,
  ...fields,
});

const lines = (left: StepView, right: StepView): string[] => stepDifference(left, right).lines.map(differenceLine);

describe('stepDifference', () => {
  it('finds nothing between equal steps, whatever their edge ids', () => {
    const a = step({ nodes: [node('base'), node('top')], edges: [edge(1, 'node:top', 'base', 'backing')] });
    const b = step({ nodes: [node('base'), node('top')], edges: [edge(7, 'node:top', 'base', 'backing')] });
    expect(stepDifference(a, b)).toEqual({ vertices: [], leftEdges: [], rightEdges: [], lines: [] });
  });

  it("lists a node's ro, state and open mode, and lights the node", () => {
    const a = step({ nodes: [node('base'), node('base-file', { driver: 'file', state: 'fdActive', openMode: 'O_RDWR' })] });
    const b = step({ nodes: [node('base', { ro: true, state: 'readOnly' }), node('base-file', { driver: 'file', state: 'fdIdle', openMode: 'O_RDONLY' })] });
    expect(lines(a, b)).toEqual([
      'base: ro false | true',
      'base: state readWrite | readOnly',
      'base-file: state fdActive | fdIdle',
      'base-file: open mode O_RDWR | O_RDONLY',
    ]);
    expect(stepDifference(a, b).vertices).toEqual(['node:base', 'node:base-file']);
  });

  it("lists a node's bitmaps when they differ, as the drawing writes them", () => {
    const bitmap = { name: 'b0', enabled: true, persistent: true, readonly: false, busy: false, granularity: 65536 };
    const a = step({ nodes: [node('q', { bitmaps: [bitmap] }), node('r')] });
    const b = step({ nodes: [node('q', { bitmaps: [{ ...bitmap, readonly: true }] }), node('r', { bitmaps: [bitmap] })] });
    expect(lines(a, b)).toEqual(['q: bitmaps bitmap b0: enabled, persistent | bitmap b0: enabled, persistent, read-only', 'r: bitmaps — | bitmap b0: enabled, persistent']);
    expect(stepDifference(a, b).vertices).toEqual(['node:q', 'node:r']);
  });

  it("lists the perm and shared of an edge by its place, and lights it by each side's id", () => {
    const a = step({ edges: [edge(1, 'node:base', 'base-file', 'file', 'wr_s', '_ru_'), edge(2, 'user:1', 'top', 'root')] });
    const b = step({ edges: [edge(2, 'user:1', 'top', 'root'), edge(5, 'node:base', 'base-file', 'file', '_r__', '_rus')] });
    expect(lines(a, b)).toEqual(['base -file-> base-file: perm wr_s | _r__', 'base -file-> base-file: shared _ru_ | _rus']);
    expect(stepDifference(a, b)).toMatchObject({ leftEdges: [1], rightEdges: [5] });
  });

  it('lists what one side lacks: nodes, edges and jobs, and a different reply', () => {
    const a = step({ nodes: [node('top')], edges: [edge(3, 'job:c1', 'top', 'main node', '____', 'wrus')], jobs: [{ id: 'c1', type: 'commit', state: 'running', gone: false }] });
    const b = step({ nodes: [node('top'), node('fmt', { driver: 'raw' })], reply: { error: { class: 'GenericError', desc: 'no' } } });
    expect(lines(a, b)).toEqual([
      'reply: ok | error GenericError: no',
      'fmt: node — | raw',
      'c1 -main node-> top: edge ____ wrus | —',
      'job c1: state running | —',
    ]);
    expect(stepDifference(a, b)).toMatchObject({ vertices: ['node:fmt', 'job:c1'], leftEdges: [3], rightEdges: [] });
  });

  it('tells two edges of the same parent, child and name apart by their order', () => {
    const a = step({ edges: [edge(1, 'node:q', 'f', 'data'), edge(2, 'node:q', 'f', 'data')] });
    const b = step({ edges: [edge(4, 'node:q', 'f', 'data')] });
    expect(lines(a, b)).toEqual(['q -data-> f #2: edge _r__ wrus | —']);
    expect(stepDifference(a, b)).toMatchObject({ leftEdges: [2], rightEdges: [] });
  });
});

describe('comparisons of runs', () => {
  const run = (model: string, ro: boolean): ModelRun => ({ model, ok: true, steps: [step(), step({ index: 1, nodes: [node('base', { ro })] })] });
  const runs = [run('dynamic', true), run('qemu-7.2', false), run('qemu-10.0', true)];

  it('compares every pair, step by step', () => {
    const pairs = comparePairs(runs);
    expect(pairs.map((c) => `${c.left} | ${c.right}`)).toEqual(['dynamic | qemu-7.2', 'dynamic | qemu-10.0', 'qemu-7.2 | qemu-10.0']);
    expect(pairs.map((c) => c.steps.map((s) => s.lines.length))).toEqual([[0, 1], [0, 0], [0, 1]]);
  });

  it('looks a pair up either way round, the sides swapped', () => {
    const pairs = comparePairs(runs);
    expect(differenceAt(pairs, 'qemu-7.2', 'qemu-10.0', 1)?.lines.map(differenceLine)).toEqual(['base: ro false | true']);
    expect(differenceAt(pairs, 'qemu-10.0', 'qemu-7.2', 1)?.lines.map(differenceLine)).toEqual(['base: ro true | false']);
    expect(differenceAt(pairs, 'qemu-10.0', 'qemu-7.2', 2)).toBeNull();
    expect(differenceAt(pairs, 'qemu-10.0', 'qemu-9.0', 1)).toBeNull();
  });

  it('flips back to where it started', () => {
    const difference = compareRuns(runs[0]!, runs[1]!).steps[1]!;
    expect(flipped(flipped(difference))).toEqual(difference);
  });
});
