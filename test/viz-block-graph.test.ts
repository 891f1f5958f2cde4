import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { viewData } from '../src/view/view-data.js';
import { blockGraphDot, neighbourhood } from '../src/viz/block-graph-dot.js';
import { renderSvg } from '../src/viz/render-svg.js';

const COMMIT = 'examples/commit-auto-read-only.yaml';

describe('the viewer data of a scenario', () => {
  const data = viewData(COMMIT);
  const [dynamic, qemu] = data.runs;

  it('runs every model, the scenario one first', () => {
    expect(data.runs.map((r) => r.model)).toEqual(['dynamic', 'qemu-7.2', 'qemu-10.0']);
    expect(dynamic!.steps).toHaveLength(14);
    expect(qemu!.steps).toHaveLength(14);
  });

  it('has base reopen read-write for the commit and drop back, in model dynamic only', () => {
    const base = (run: typeof dynamic, step: number) => run!.steps[step]!.nodes.find((n) => n.name === 'base')!;
    const baseFile = (run: typeof dynamic, step: number) => run!.steps[step]!.nodes.find((n) => n.name === 'base-file')!;
    expect([7, 8, 9].map((s) => [base(dynamic, s).ro, base(dynamic, s).state])).toEqual([[true, 'idle'], [false, 'active'], [true, 'idle']]);
    expect([7, 8, 9].map((s) => baseFile(dynamic, s).openMode)).toEqual(['O_RDONLY', 'O_RDWR', 'O_RDONLY']);
    expect([7, 8, 9].map((s) => base(qemu, s).ro)).toEqual([false, false, false]);
    expect(dynamic!.steps[8]!.changed.nodes).toEqual(['base-file', 'base', '#block011']);
    expect(qemu!.steps[8]!.changed.nodes).toEqual(['#block011']);
    expect(dynamic!.steps[9]!.changed.removed).toContain('node #block011 (commit_top)');
  });

  it('keeps a job after it is gone, in state null', () => {
    expect(dynamic!.steps[8]!.jobs).toEqual([{ id: 'c1', type: 'commit', state: 'running', gone: false }]);
    expect(dynamic!.steps[9]!.jobs).toEqual([{ id: 'c1', type: 'commit', state: 'null', gone: true }]);
    expect(dynamic!.steps[9]!.changed.jobs).toEqual(['c1']);
  });

  it('blames the edge that requires the perm and the refused parent', () => {
    const step = viewData('examples/conflict.yaml').runs[0]!.steps[2]!;
    expect(step.blame).toEqual({ nodes: ['f'], edges: [1], refused: [{ parent: "node 'q2'", child: 'f', name: 'file' }] });
    const dot = blockGraphDot(step);
    expect(dot).toContain('"node:f" [label="f [file]\\ndisk.qcow2\\nrw · readWrite · O_RDWR", shape=ellipse, class="block-node rw blamed"');
    expect(dot).toContain('"node:q1" -> "node:f" [id="edge:1", class="blamed", label="file\\lwr_s\\l_ru_\\l", color="#c62828"');
    expect(dot).toContain('"refused:0" -> "node:f" [style=dashed');
  });

  it('blames the holders of a file lock, the node an error names, else the nodes the command names', () => {
    const conflict = viewData('examples/conflict.yaml').runs[0]!.steps[5]!;
    expect(conflict.blame).toEqual({ nodes: ['f', 'f2'], edges: [], refused: [] });
    const reopen = viewData('examples/reopen.yaml').runs[0]!.steps;
    expect(reopen[5]!.blame?.nodes).toEqual(['r']);
    const backup = viewData('examples/backup.yaml').runs[0]!.steps[4]!;
    expect(backup.reply).toEqual({ error: { class: 'GenericError', desc: 'Could not create node: Block node is read-only' } });
    expect(backup.blame?.nodes).toEqual(['disk', 'target']);
    expect(reopen[0]!.blame).toBeNull();
  });
});

describe('the block graph as DOT', () => {
  const step = viewData(COMMIT).runs[0]!.steps[8]!;
  const dot = blockGraphDot(step, { legend: true });

  it('draws nodes by kind, users and jobs, edges with child name, perm and shared', () => {
    expect(dot).toContain('"node:base-file" [label="base-file [file]\\nbase.qcow2\\nrw · active · O_RDWR", shape=ellipse, class="block-node rw changed"');
    expect(dot).toContain('"node:mid" [label="mid [qcow2]\\nro · readOnly", shape=ellipse, class="block-node ro"');
    expect(dot).toContain('"job:c1" [shape=box, label="commit job (c1)\\nrunning", class="changed"');
    expect(dot).toContain('"user:1" [shape=box, label="nbd export guest (top)"];');
    expect(dot).toContain('"user:1" -> "node:top" [id="edge:6", class="", label="root\\lwr__\\lwru_\\l"];');
    expect(dot).toContain('"job:c1" -> "node:mid" [id="edge:9", class="changed", label="intermediate node\\l____\\lw_u_\\l"');
    expect(dot).toContain('edge labels: child name, perm, shared\\lperm masks (_: absent):\\l  w  write  (QMP write)\\l  r  consistent read  (QMP consistent-read)\\l');
  });

  it('draws a neighbourhood: the centre, its neighbours within the radius, and what changed', () => {
    const only = neighbourhood(step, 'mid-file', 1);
    expect([...only].sort()).toEqual(['node:#block011', 'node:base', 'node:base-file', 'node:mid', 'node:mid-file']);
    const partial = blockGraphDot(step, { only });
    expect(partial).not.toContain('"node:top"');
    expect(partial).toContain('"node:mid" -> "node:mid-file"');
  });

  it('renders with Graphviz', async () => {
    const svg = await renderSvg(dot);
    expect(svg).toContain('<title>node:base</title>');
    expect(svg).toContain('class="node block&#45;node rw changed"');
  });
});

describe('permgraph chart and graph', () => {
  it('prints a chart as Mermaid, DOT or SVG', async () => {
    expect((await cli('chart', 'node')).out).toMatch(/^stateDiagram-v2\n/);
    expect((await cli('chart', 'job', '--format', 'dot')).out).toMatch(/^digraph "job" \{/);
    expect((await cli('chart', 'job', '--format', 'svg')).out).toContain('<svg');
  });

  it('prints the graph at a step', async () => {
    const at7 = await cli('graph', COMMIT, '--step', '7', '--format', 'dot');
    expect(at7.code).toBe(0);
    expect(at7.out).toContain('"node:base" [label="base [qcow2]\\nro · idle"');
    const qemu = await cli('graph', COMMIT, '--step', '7', '--model', 'qemu-7.2', '--format', 'dot');
    expect(qemu.out).toContain('"node:base" [label="base [qcow2]\\nrw · readWrite"');
    expect((await cli('graph', COMMIT)).out).toContain('<svg');
  });

  it('refuses bad input in one line, exit 2', async () => {
    expect(await cli('graph', COMMIT, '--step', '14')).toEqual({ code: 2, out: '', err: 'permgraph: graph: --step 14: the scenario has steps 0 to 13\n' });
    expect((await cli('graph', COMMIT, '--step', 'x')).code).toBe(2);
    expect((await cli('chart', 'disk')).code).toBe(2);
    const missingFile = await cli('graph', 'no-such.yaml');
    expect(missingFile.code).toBe(2);
    expect(missingFile.err.split('\n')).toHaveLength(2);
    expect(await cli('view', COMMIT, '--port', '70000')).toEqual({ code: 2, out: '', err: 'permgraph: view: --port 70000: give a port from 0 to 65535\n' });
  });
});

describe('NBD servers', () => {
  const [dynamic, qemu] = viewData('examples/nbd-auto-read-only.yaml').runs;

  it('draws the server an nbd node is connected to, with its export and whether it let the node write', () => {
    const server = '"server:unix:/scenario/nbd-auto-read-only/base.sock"';
    const first = blockGraphDot(qemu!.steps[0]!);
    expect(first).toContain(`${server} [shape=cylinder, class="nbd-server ro"`);
    expect(first).toContain(`"node:base-nbd" -> ${server} [style=dashed, arrowhead=none, label="export ''"]`);
    // dynamic negotiated anew with the server started writable (step 5); qemu-7.2 kept what it had
    expect(blockGraphDot(dynamic!.steps[5]!)).toContain(`${server} [shape=cylinder, class="nbd-server rw"`);
    expect(blockGraphDot(qemu!.steps[5]!)).toContain(`${server} [shape=cylinder, class="nbd-server ro"`);
  });
});
