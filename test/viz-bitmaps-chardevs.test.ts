import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { viewData } from '../src/view/view-data.js';
import type { StepView } from '../src/view/view-types.js';
import { blockGraphDot, neighbourhood } from '../src/viz/block-graph-dot.js';
import { renderSvg } from '../src/viz/render-svg.js';

const CORPUS = 'test/fixtures/corpus';

/** The steps of a corpus scenario as model qemu-7.2 draws them. */
function qemuSteps(name: string): readonly StepView[] {
  return viewData(`${CORPUS}/${name}.json`).runs.find((r) => r.model === 'qemu-7.2')!.steps;
}

describe('dirty bitmaps in the drawing', () => {
  const backup = qemuSteps('bitmaps-backup');
  const persistent = qemuSteps('bitmaps-persistent-qcow2');

  it('lists a node\'s bitmaps, newest first, enabled or disabled, and busy while a backup job syncs one', () => {
    const dot = blockGraphDot(backup[16]!);
    expect(dot).toContain('"node:q" [label="q [qcow2]\\nrw · readWrite\\nbitmap b2: disabled\\nbitmap b1: enabled, busy", shape=ellipse, class="block-node rw bitmaps bitmap-busy"');
    expect(dot).toContain('"node:t" [label="t [qcow2]\\nrw · readWrite", shape=ellipse, class="block-node rw"');
    // the jobs gone, b1 (added again, newest) is no longer busy
    expect(blockGraphDot(backup[39]!)).toContain('\\nbitmap b1: enabled\\nbitmap b2: disabled", shape=ellipse, class="block-node rw bitmaps"');
  });

  it('marks a node changed when a bitmap is added to it', () => {
    expect(backup[3]!.changed.nodes).toEqual(['q']);
    expect(backup[3]!.nodes.find((n) => n.name === 'q')!.bitmaps).toEqual([
      { name: 'b1', enabled: true, persistent: false, readonly: false, busy: false, granularity: 65536 },
    ]);
    expect(blockGraphDot(backup[3]!)).toContain('class="block-node rw bitmaps changed"');
  });

  it('shows persistent bitmaps read-only on a read-only qcow2 node, and what its image stores under the file node', () => {
    const dot = blockGraphDot(persistent[13]!);
    expect(dot).toContain('"node:q" [label="q [qcow2]\\nro · readOnly\\nbitmap b1: enabled\\nbitmap b2: disabled, persistent, read-only"');
    expect(dot).toContain('"node:qf" [label="qf [file]\\na.qcow2\\nro · readOnly · O_RDONLY\\nimage stores: b2"');
    // a persistent bitmap added while writable, not yet stored
    expect(blockGraphDot(persistent[3]!)).toContain('bitmap b3: enabled, persistent\\nbitmap b2: disabled, persistent\\nbitmap b1: enabled"');
  });

  it('renders with Graphviz, bitmaps and legend included', async () => {
    const svg = await renderSvg(blockGraphDot(backup[16]!, { legend: true }));
    expect(svg).toContain('class="node block&#45;node rw bitmaps bitmap&#45;busy"');
    expect(svg).toContain('bitmap b1: enabled, busy');
    expect(svg).toContain('bitmap NAME: enabled|disabled, persistent,');
  });
});

describe('chardevs in the drawing', () => {
  const steps = qemuSteps('chardev-add-remove');

  it('draws each chardev as a note in the cluster chardevs, with its id, backend and filename', () => {
    const dot = blockGraphDot(steps[15]!);
    expect(dot).toContain('  subgraph "cluster_chardevs" {\n    label="chardevs";');
    expect(dot).toContain('"chardev:n0" [shape=note, fontsize=9, class="chardev", fillcolor="#e8f5e9", label="n0\\nnull"];');
    expect(dot).toContain('"chardev:s0" [shape=note, fontsize=9, class="chardev", fillcolor="#e8f5e9", label="s0\\nsocket\\ndisconnected:unix:/scenario/chardev-add-remove/c.sock,server=on"];');
    expect(dot).not.toContain('"chardev:x1"');
  });

  it('draws no cluster before the first chardev, nor in a neighbourhood', () => {
    expect(blockGraphDot(steps[0]!)).not.toContain('cluster_chardevs');
    const backup = qemuSteps('bitmaps-backup')[16]!;
    expect(blockGraphDot(backup, { only: neighbourhood(backup, 'q', 1) })).not.toContain('cluster_chardevs');
  });

  it('links a QMP monitor to its chardev', async () => {
    const step: StepView = { ...steps[15]!, chardevs: [{ id: 'qmp0', backend: 'socket', filename: 'unix:/run/qmp.sock,server=on', monitor: true }] };
    const dot = blockGraphDot(step);
    expect(dot).toContain('"chardev:qmp0" [shape=note, fontsize=9, class="chardev monitor"');
    expect(dot).toContain('"monitor:qmp0" -> "chardev:qmp0" [style=dotted, arrowhead=none, fontsize=8, label="frontend"];');
    const svg = await renderSvg(dot);
    expect(svg).toContain('<title>chardev:qmp0</title>');
    expect(svg).toContain('<title>cluster_chardevs</title>');
  });

  it('names an export by its type', () => {
    const dot = blockGraphDot(qemuSteps('exports-vhost-user-blk-fuse')[3]!);
    expect(dot).toContain('[shape=box, label="vhost-user-blk export v2"];');
  });
});

describe('permgraph graph', () => {
  it('prints bitmaps and chardevs in its DOT, and explains them in its legend', async () => {
    const bitmaps = await cli('graph', `${CORPUS}/bitmaps-backup.json`, '--step', '16', '--model', 'qemu-7.2', '--format', 'dot');
    expect(bitmaps.out).toContain('bitmap b1: enabled, busy');
    const chardevs = await cli('graph', `${CORPUS}/chardev-add-remove.json`, '--step', '15', '--format', 'dot');
    expect(chardevs.out).toContain('"chardev:f0" [shape=note');
    const help = await cli('graph', '--help');
    expect(help.out).toContain('  bitmap   a line of a node\'s label per dirty bitmap');
    expect(help.out).toContain('  note     a chardev, in the cluster `chardevs`');
  });
});
