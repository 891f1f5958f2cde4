/**
 * One block graph in its panel: drawn as `permgraph graph` draws it, around the selection when it
 * is large, its nodes clickable, and what differs from the model beside it lit.
 */
import type { StepView, VertexId } from '../src/view/view-types.js';
import { blockGraphDot, MAX_CHANGED_SHOWN, neighbourhood } from '../src/viz/block-graph-dot.js';
import { renderDot, titleOf } from './graphviz.js';
import { showZoomable } from './panzoom.js';

/** Above this many nodes the graph is drawn around the selected node only. */
const LARGE = 60;
/**
 * Screen pixels per Graphviz point on first view: at most 1.5 (a lone node is a node, not the
 * whole panel), at least 0.9 (its 11 pt node labels ≈ 10 px).
 */
const GRAPH_SCALE = { minScale: 0.9, maxScale: 1.5 } as const;

/** What to light as differing from the other model: vertices (`node:…`, `job:…`) and this side's edge ids. */
export interface Lit {
  readonly vertices: readonly VertexId[];
  readonly edges: readonly number[];
}

export interface PaneOptions {
  /** The view (zoom, pan) is kept under this key across steps. */
  readonly key: string;
  readonly selected: string | null;
  readonly radius: number;
  readonly lit: Lit | null;
  readonly onSelect: (node: string) => void;
  /** False once a newer render has begun: then the drawing is dropped. */
  readonly current: () => boolean;
}

export interface DrawnGraph {
  /** `6 nodes, 6 edges`, or what part of a large graph is shown. */
  readonly note: string;
  /** Drawn around the selection only. */
  readonly large: boolean;
}

/** Marks the differing vertices and edges of a drawing with the class `differs`. */
export function lightDifferences(svg: SVGSVGElement, lit: Lit): void {
  const vertices = new Set(lit.vertices);
  const edges = new Set(lit.edges.map((id) => `edge:${id}`));
  for (const g of svg.querySelectorAll('g.node')) if (vertices.has(titleOf(g))) g.classList.add('differs');
  for (const g of svg.querySelectorAll('g.edge')) if (edges.has(g.id)) g.classList.add('differs');
}

/** The vertices drawn for a large graph: around the selection, what changed and what differs. */
function shownOf(step: StepView, options: PaneOptions): ReadonlySet<VertexId> | undefined {
  if (step.nodes.length <= LARGE || options.selected === null) return undefined;
  const only = neighbourhood(step, options.selected, options.radius);
  for (const v of options.lit?.vertices.slice(0, MAX_CHANGED_SHOWN) ?? []) only.add(v);
  return only;
}

/** Draws `step` into `target`; null when a newer render took over meanwhile. */
export async function drawGraph(target: HTMLElement, step: StepView, options: PaneOptions): Promise<DrawnGraph | null> {
  const only = shownOf(step, options);
  const shown = only ? step.nodes.filter((n) => only.has(`node:${n.name}`)).length : step.nodes.length;
  const note = only
    ? `${shown} of ${step.nodes.length} nodes: within ${options.radius} edges of ${options.selected}, and what changed`
    : `${step.nodes.length} nodes, ${step.edges.length} edges`;
  const svg = await renderDot(blockGraphDot(step, { selected: options.selected, ...(only ? { only } : {}) }));
  if (!options.current()) return null;
  for (const g of svg.querySelectorAll('g.node')) {
    const id = titleOf(g);
    if (id.startsWith('node:')) g.addEventListener('click', () => options.onSelect(id.slice('node:'.length)));
  }
  if (options.lit) lightDifferences(svg, options.lit);
  const focus = [...svg.querySelectorAll('g.node')].find((g) => titleOf(g) === `node:${options.selected}`);
  showZoomable(target, svg, { key: options.key, ...GRAPH_SCALE, focus });
  return { note, large: only !== undefined };
}
