/**
 * One step's block graph as DOT, in the manner of QEMU's scripts/render_block_graph.py: block
 * nodes as ellipses labelled `name [driver]` (plus the image's basename for file nodes), users and
 * jobs as boxes, one edge per child labelled with the child name, the perm and the shared mask. On
 * top of that: each node's `ro`, machine state and open mode, what changed since the step before
 * (blue), and what a refused command blames (red). Pure and free of Node APIs: the viewer page
 * uses it too, on a neighbourhood of the selection when the graph is large.
 */
import type { StepView, VertexId } from './step-view.js';
import { PERM_MASK_LEGEND } from '../perms/perm.js';
import { dotEscape, dotString } from './machine-chart.js';
import { bitmapClasses, bitmapLines, chardevCluster } from './bitmap-chardev-dot.js';

export interface BlockGraphDotOptions {
  /** Draw only these vertices (a neighbourhood); all when absent. */
  readonly only?: ReadonlySet<VertexId>;
  readonly selected?: string | null;
  readonly legend?: boolean;
}

const CHANGED = '#1565c0';
const BLAMED = '#c62828';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export const nodeVertex = (name: string): VertexId => `node:${name}`;

export function nodeLabel(node: StepView['nodes'][number]): string {
  const lines = [`${node.name} [${node.driver}]`];
  if (node.driver === 'file') lines.push(basename(node.filename));
  lines.push(`${node.ro ? 'ro' : 'rw'} · ${node.state}${node.openMode ? ` · ${node.openMode}` : ''}`);
  lines.push(...bitmapLines(node));
  return lines.join('\n');
}

/** The legend drawn beside the graph: the perm masks (as `permgraph run` writes them) and the colours. */
const LEGEND = [
  'edge labels: child name, perm, shared',
  'perm masks (_: absent):',
  ...PERM_MASK_LEGEND.filter((line) => !line.startsWith('_')).map((line) => `  ${line.replace(/ {2,}/g, '  ')}`),
  'node labels: ro|rw · state · open mode, then',
  '  bitmap NAME: enabled|disabled, persistent,',
  '    read-only, busy (a job or an export uses it)',
  '  image stores: a file node\'s stored bitmaps',
  'notes: chardevs (id, backend, filename)',
  'blue: changed by this step',
  'red: what refused the command',
]
  .map((line) => `${dotEscape(line)}\\l`)
  .join('');

export function blockGraphDot(step: StepView, options: BlockGraphDotOptions = {}): string {
  const shown = (v: VertexId): boolean => !options.only || options.only.has(v);
  const changedNodes = new Set(step.changed.nodes);
  const changedEdges = new Set(step.changed.edges);
  const changedJobs = new Set(step.changed.jobs);
  const blamedNodes = new Set(step.blame?.nodes ?? []);
  const blamedEdges = new Set(step.blame?.edges ?? []);
  const lines = [
    'digraph "block graph" {',
    '  node [fontname="Helvetica", fontsize=11, style=filled, fillcolor="#ffffff"]; edge [fontname="Helvetica", fontsize=9];',
  ];
  if (options.legend) lines.push(`  "__legend" [shape=none, style="", label="${LEGEND}"];`);
  for (const user of step.users) {
    if (!shown(user.id)) continue;
    lines.push(`  ${dotString(user.id)} [shape=box, label=${dotString(user.label)}];`);
  }
  for (const job of step.jobs) {
    const id = `job:${job.id}`;
    if (job.gone || !shown(id)) continue;
    const style = changedJobs.has(job.id) ? `, class="changed", color="${CHANGED}", penwidth=2` : '';
    lines.push(`  ${dotString(id)} [shape=box, label=${dotString(`${job.type} job (${job.id})\n${job.state}`)}${style}];`);
  }
  for (const node of step.nodes) {
    const id = nodeVertex(node.name);
    if (!shown(id)) continue;
    const classes = ['block-node', node.ro ? 'ro' : 'rw', ...bitmapClasses(node)];
    if (blamedNodes.has(node.name)) classes.push('blamed');
    if (changedNodes.has(node.name)) classes.push('changed');
    if (options.selected === node.name) classes.push('selected');
    const attrs = [`label=${dotString(nodeLabel(node))}`, 'shape=ellipse', `class="${classes.join(' ')}"`];
    attrs.push(`fillcolor="${node.ro ? '#eceff1' : '#fff8e1'}"`);
    if (node.generated) attrs.push('style="filled,dashed"');
    if (blamedNodes.has(node.name)) attrs.push(`color="${BLAMED}"`, 'penwidth=3');
    else if (changedNodes.has(node.name)) attrs.push(`color="${CHANGED}"`, 'penwidth=2.5');
    if (options.selected === node.name) attrs.push('peripheries=2');
    lines.push(`  ${dotString(id)} [${attrs.join(', ')}];`);
  }
  lines.push(...remoteServers(step, shown));
  if (!options.only) lines.push(...chardevCluster(step));
  for (const edge of step.edges) {
    const child = nodeVertex(edge.child);
    if (!shown(edge.parent) || !shown(child)) continue;
    const classes = [blamedEdges.has(edge.id) ? 'blamed' : '', changedEdges.has(edge.id) ? 'changed' : ''].filter(Boolean);
    const attrs = [`id=${dotString(`edge:${edge.id}`)}`, `class="${classes.join(' ')}"`, `label="${dotEscape(edge.name)}\\l${edge.perm}\\l${edge.shared}\\l"`];
    if (blamedEdges.has(edge.id)) attrs.push(`color="${BLAMED}"`, `fontcolor="${BLAMED}"`, 'penwidth=2.5');
    else if (changedEdges.has(edge.id)) attrs.push(`color="${CHANGED}"`, `fontcolor="${CHANGED}"`, 'penwidth=2');
    lines.push(`  ${dotString(edge.parent)} -> ${dotString(child)} [${attrs.join(', ')}];`);
  }
  (step.blame?.refused ?? []).forEach((refused, i) => {
    const id = `refused:${i}`;
    if (!shown(nodeVertex(refused.child))) return;
    lines.push(`  ${dotString(id)} [shape=box, style="dashed", color="${BLAMED}", fontcolor="${BLAMED}", label=${dotString(`${refused.parent}\n(refused)`)}];`);
    lines.push(`  ${dotString(id)} -> ${dotString(nodeVertex(refused.child))} [style=dashed, color="${BLAMED}", fontcolor="${BLAMED}", label=${dotString(refused.name)}];`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * The NBD servers the graph's client nodes connect to, one cylinder each (read-only grey, writable
 * amber, as it answered when last asked), a dashed line from each client with its export's name.
 */
function remoteServers(step: StepView, shown: (v: VertexId) => boolean): string[] {
  const lines: string[] = [];
  const drawn = new Set<string>();
  for (const node of step.nodes) {
    if (!node.remote || !shown(nodeVertex(node.name))) continue;
    const id = `server:${node.remote.server}`;
    if (!drawn.has(id)) {
      drawn.add(id);
      const label = `NBD server\n${node.remote.server}\n${node.remote.readOnly ? 'read-only' : 'writable'}`;
      lines.push(`  ${dotString(id)} [shape=cylinder, class="nbd-server ${node.remote.readOnly ? 'ro' : 'rw'}", fillcolor="${node.remote.readOnly ? '#eceff1' : '#fff8e1'}", label="${label}"];`);
    }
    lines.push(`  ${dotString(nodeVertex(node.name))} -> ${dotString(id)} [style=dashed, arrowhead=none, label=${dotString(`export '${node.remote.exportName}'`)}];`);
  }
  return lines;
}

/** At most this many changed nodes join a neighbourhood (a step may add hundreds). */
export const MAX_CHANGED_SHOWN = 40;

/**
 * The vertices within `radius` edges of a node (either direction), plus what the step blames and
 * (up to MAX_CHANGED_SHOWN) what it changed, so that a graph of hundreds of nodes can be drawn
 * around the selection.
 */
export function neighbourhood(step: StepView, centre: string, radius: number): Set<VertexId> {
  const adjacent = new Map<VertexId, VertexId[]>();
  const link = (a: VertexId, b: VertexId): void => {
    adjacent.set(a, [...(adjacent.get(a) ?? []), b]);
  };
  for (const e of step.edges) {
    link(e.parent, nodeVertex(e.child));
    link(nodeVertex(e.child), e.parent);
  }
  const seen = new Set<VertexId>([nodeVertex(centre)]);
  let frontier = [nodeVertex(centre)];
  for (let d = 0; d < radius; d++) {
    frontier = frontier.flatMap((v) => (adjacent.get(v) ?? []).filter((w) => !seen.has(w) && (seen.add(w), true)));
  }
  for (const name of [...step.changed.nodes.slice(0, MAX_CHANGED_SHOWN), ...(step.blame?.nodes ?? [])]) seen.add(nodeVertex(name));
  return seen;
}
