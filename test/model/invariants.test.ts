/**
 * The invariant catalogue: it holds after every step of every example in both models, and each
 * invariant reports a snapshot broken in the way it forbids (so none of them is vacuous).
 */
import { readdirSync } from 'node:fs';
import { produce, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { createPermgraph } from '../../src/runtime/permgraph.js';
import { createVirtualStorage } from '../../src/storage/virtual-storage.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import { deleteShard, getShard } from '../../src/graph/shards.js';
import { getNode, parentEdges } from '../../src/graph/graph.js';
import type { BlockNode, Edge, Graph, Model } from '../../src/graph/types.js';
import { checkRefusedCommand, checkSnapshot, formatViolation, INVARIANT_FACTS, type InvariantName } from '../../src/invariants/index.js';
import { MODELS } from '../../machines/node.types.js';

const examples = readdirSync('examples').filter((f) => /\.ya?ml$/.test(f));

describe('the invariants hold on every example', () => {
  for (const model of MODELS) {
    for (const file of examples) {
      it(`${file} (${model})`, () => {
        const scenario = loadScenario(`examples/${file}`);
        const workdir = `/scenario/${file}`;
        const result = runScenario(scenario, { model, storage: virtualStorageFor(scenario, workdir, file), workdir, checkInvariants: true });
        result.permgraph.dispose();
        expect(result.steps.flatMap((s) => (s.violations ?? []).map(formatViolation))).toEqual([]);
      });
    }
  }
});

/** A chain base <- top (qcow2 over files), a writable export on top, an active commit running; its snapshot. */
function sample(model: Model, commit = true): Graph {
  const storage = createVirtualStorage({
    '/i/base.qcow2': { format: 'qcow2', size: 1 << 20 },
    '/i/top.qcow2': { format: 'qcow2', size: 1 << 20, backingFile: '/i/base.qcow2', backingFormat: 'qcow2' },
  });
  const pg = createPermgraph({ model, storage, nodeActors: false });
  const run = (execute: string, args: Record<string, unknown>): void => {
    const reply = pg.execute({ execute, arguments: args });
    if ('error' in reply) throw new Error(`${execute}: ${reply.error.desc}`);
  };
  run('blockdev-add', { driver: 'file', 'node-name': 'base-file', filename: '/i/base.qcow2', 'auto-read-only': true });
  run('blockdev-add', { driver: 'qcow2', 'node-name': 'base', file: 'base-file', backing: null, 'read-only': true });
  run('blockdev-add', { driver: 'file', 'node-name': 'top-file', filename: '/i/top.qcow2', 'auto-read-only': true });
  run('blockdev-add', { driver: 'qcow2', 'node-name': 'top', file: 'top-file', backing: 'base', 'auto-read-only': true });
  run('nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } });
  run('block-export-add', { type: 'nbd', id: 'e1', 'node-name': 'top', writable: true });
  if (commit) run('block-commit', { 'job-id': 'c1', device: 'top', 'base-node': 'base', speed: 1 });
  const graph = pg.graph;
  pg.dispose();
  return graph;
}

const broken = (g: Graph, recipe: (draft: Draft<Graph>) => void): Graph => produce(g, recipe);
const edge = (d: Draft<Graph>, id: number): Draft<Edge> => getShard(d.edges as Graph['edges'], String(id)) as Draft<Edge>;
const names = (g: Graph): InvariantName[] => [...new Set(checkSnapshot(g).map((v) => v.invariant))];
const node = (d: Draft<Graph>, name: string): Draft<BlockNode> => getShard(d.nodes as Graph['nodes'], name) as Draft<BlockNode>;

describe('each invariant reports what it forbids', () => {
  for (const model of MODELS) {
    const g = sample(model);
    const top = getNode(g, 'top')!;
    const topFile = getNode(g, 'top-file')!;
    const exportEdge = parentEdges(g, getNode(g, g.jobs['c1']!.filter!)!).find((e) => e.parent.kind === 'backend')!;

    it(`the sample state is clean (${model})`, () => {
      expect(checkSnapshot(g).map(formatViolation)).toEqual([]);
    });

    it(`parents-share (${model})`, () => {
      const bad = broken(g, (d) => {
        edge(d, exportEdge.id).shared = 0;
      });
      expect(names(bad)).toContain('parents-share');
    });

    it(`child-perms-follow-driver (${model})`, () => {
      const fileEdge = parentEdges(g, topFile)[0]!;
      expect(names(broken(g, (d) => void (edge(d, fileEdge.id).perm = 1)))).toContain('child-perms-follow-driver');
    });

    it(`no-write-on-read-only (${model})`, () => {
      expect(names(broken(g, (d) => void (node(d, 'top').readOnly = true)))).toContain('no-write-on-read-only');
    });

    it(`fd-follows-writers (${model})`, () => {
      expect(topFile.file?.mode).toBe('O_RDWR');
      expect(names(broken(g, (d) => void (node(d, 'top-file').file!.mode = 'O_RDONLY')))).toEqual(['fd-follows-writers']);
    });

    it(`machine-at-rest (${model})`, () => {
      expect(names(broken(g, (d) => void (node(d, 'top').machine = { ...top.machine, value: 'reopeningReadOnly' })))).toContain('machine-at-rest');
    });

    it(`names-unique (${model})`, () => {
      expect(names(broken(g, (d) => void (node(d, 'base').name = 'top')))).toContain('names-unique');
    });

    it(`edges-point-at-live-nodes (${model})`, () => {
      expect(names(broken(g, (d) => deleteShard(d.nodes as Graph['nodes'], 'base-file')))).toContain('edges-point-at-live-nodes');
    });

    it(`acyclic (${model})`, () => {
      expect(names(broken(g, (d) => void (node(d, 'base').height = 10)))).toEqual(['acyclic']);
      const cycle = broken(g, (d) => {
        // base's file edge now points back up at top
        const fileEdge = edge(d, getNode(g, 'base')!.children[0]!);
        node(d, 'base-file').parents = [];
        fileEdge.child = 'top';
        node(d, 'top').parents.push(fileEdge.id);
      });
      expect(checkSnapshot(cycle).map((v) => v.message)).toContain('cycle: top -> base -> top');
    });

    it(`jobs-consistent (${model})`, () => {
      expect(names(broken(g, (d) => void (d.jobs['c1']!.status = 'null')))).toEqual(['jobs-consistent']);
      expect(names(broken(g, (d) => void d.jobs['c1']!.backends.pop()))).toEqual(['jobs-consistent']);
      expect(names(broken(g, (d) => void d.jobs['c1']!.edges.pop()))).toEqual(['edges-point-at-live-nodes']);
    });

    it(`refused-command-unchanged (${model})`, () => {
      const reply = { error: { class: 'GenericError', desc: 'no' } };
      expect(checkRefusedCommand(g, g, reply, 'x')).toEqual([]);
      expect(checkRefusedCommand(g, produce(g, (d) => void (d.clock = g.clock)), reply, 'x')).toEqual([]);
      const changed = checkRefusedCommand(g, broken(g, (d) => void (node(d, 'top').readOnly = !top.readOnly)), reply, 'x');
      expect(changed.map((v) => v.message)).toEqual(['refused x (no) changed the graph at nodes[top].readOnly']);
      expect(checkRefusedCommand(g, broken(g, (d) => void (d.clock = 99)), { return: {} }, 'x')).toEqual([]);
    });
  }

  it('dynamic-read-write-iff-writer', () => {
    const g = sample('dynamic', false);
    expect(getNode(g, 'base-file')!.readOnly).toBe(true);
    expect(names(broken(g, (d) => void (node(d, 'base-file').readOnly = false)))).toEqual(['dynamic-read-write-iff-writer']);
    expect(names(broken(g, (d) => void (node(d, 'top').readOnly = true)))).toEqual(['no-write-on-read-only', 'dynamic-read-write-iff-writer']);
    expect(names(broken(sample('qemu-7.2', false), (d) => void (node(d, 'base-file').readOnly = true)))).toEqual([]);
  });

  it('every invariant is in the catalogue with its QEMU fact', () => {
    expect(INVARIANT_FACTS.map((f) => f.name).sort()).toEqual([
      'acyclic', 'child-perms-follow-driver', 'dynamic-read-write-iff-writer', 'edges-point-at-live-nodes', 'fd-follows-writers',
      'jobs-consistent', 'machine-at-rest', 'names-unique', 'nbd-write-only-where-let', 'no-write-on-read-only', 'parents-share',
      'refused-command-unchanged',
    ]);
    for (const { fact } of INVARIANT_FACTS) expect(fact).toMatch(/spec §|DESIGN §/);
  });
});
