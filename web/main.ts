/**
 * The viewer: a timeline of a scenario's steps, the block graph after the current step with what
 * changed lit, the state chart of the selected node and of each job with the active state lit, the
 * step's command, reply and events, and a toggle between the read-only models. All it shows comes
 * from /data.json, computed by `permgraph view`.
 */
import type { ChartView, ModelRun, NodeView, StepView, ViewData } from '../src/view/view-types.js';
import { blockGraphDot, neighbourhood } from '../src/viz/block-graph-dot.js';
import { byId, el, fill } from './dom.js';
import { renderDot, titleOf } from './graphviz.js';
import { showZoomable, type ZoomOptions } from './panzoom.js';

/** Above this many nodes the graph is drawn around the selected node only. */
const LARGE = 60;
const PLAY_INTERVAL_MS = 1000;
/**
 * Screen pixels per Graphviz point on first view. The block graph: at most 1.5 (a lone node is a
 * node, not the whole panel), at least 0.9 (its 11 pt node labels ≈ 10 px). The charts: 1.15, so that
 * their 9 pt transition labels are ≥ 10 px too; they are shown around the active state.
 */
const GRAPH_SCALE = { minScale: 0.9, maxScale: 1.5 } as const;
const CHART_SCALE = { minScale: 1.15, maxScale: 1.5, wheelNeedsModifier: true } as const;

interface ViewState {
  run: number;
  step: number;
  selected: string | null;
  radius: number;
}

const data = (await (await fetch('./data.json')).json()) as ViewData;
const state: ViewState = { run: 0, step: 0, selected: null, radius: 2 };
let playing: ReturnType<typeof setInterval> | null = null;
let renderToken = 0;

const currentRun = (): ModelRun => data.runs[state.run]!;
const currentStep = (): StepView => currentRun().steps[state.step]!;

function pretty(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 1);
}

function renderHeader(): void {
  byId('scenario-name').textContent = data.name;
  byId('scenario-description').textContent = data.description;
  fill(
    byId('models'),
    ...data.runs.map((run, i) => {
      const button = el('button', { 'data-model': run.model, 'aria-pressed': String(i === state.run) }, `model ${run.model}`);
      button.addEventListener('click', () => go({ run: i }));
      return button;
    }),
  );
}

function stepClass(step: StepView): string {
  if (step.check && !step.check.ok) return 'failed';
  return step.reply && typeof step.reply === 'object' && 'error' in step.reply ? 'refused' : '';
}

function renderTimeline(): void {
  fill(
    byId('timeline'),
    ...currentRun().steps.map((step, i) => {
      const [verb = '', ...rest] = step.title.split(' ');
      const button = el(
        'button',
        { 'data-step': String(i), class: stepClass(step), title: step.title },
        `[${i}] ${verb}`,
        el('small', {}, step.note ?? rest.join(' ')),
      );
      if (i === state.step) button.setAttribute('aria-current', 'step');
      button.addEventListener('click', () => go({ step: i }));
      return el('li', {}, button);
    }),
  );
  byId('timeline').querySelector('[aria-current="step"]')?.scrollIntoView({ block: 'nearest' });
}

function renderStepInfo(step: StepView): void {
  byId('step-index').textContent = `${step.index} of ${currentRun().steps.length - 1} (model ${currentRun().model})`;
  byId('step-note').textContent = step.note ?? '';
  byId('command').textContent = pretty(step.command);
  byId('reply').textContent = pretty(step.reply);
  const check = byId('check');
  check.textContent = step.check ? `${step.check.ok ? 'ok' : 'FAILED'}: ${step.check.message}` : '';
  check.className = step.check && !step.check.ok ? 'error' : '';
  fill(byId('events'), ...step.events.map((e) => el('li', {}, `${e.event} ${JSON.stringify(e.data)}`)));
  fill(byId('changes'), ...step.changeLines.map((line) => el('li', {}, line)));
}

function selectedNode(step: StepView): NodeView | undefined {
  return step.nodes.find((n) => n.name === state.selected);
}

/** The selection, or something worth looking at in this step. */
function ensureSelection(step: StepView): void {
  if (selectedNode(step)) return;
  state.selected = step.blame?.nodes[0] ?? step.changed.nodes[0] ?? step.nodes[0]?.name ?? null;
}

function renderNodeSelect(step: StepView): void {
  const select = byId<HTMLSelectElement>('node-select');
  fill(select, ...step.nodes.map((n) => el('option', { value: n.name }, n.name)));
  select.value = state.selected ?? '';
}

/** A machine's chart with its active state lit. */
async function chartSvg(chart: ChartView, active: string): Promise<SVGSVGElement> {
  const svg = await renderDot(chart.dot);
  for (const g of svg.querySelectorAll('g.node')) g.classList.toggle('active', titleOf(g) === active);
  return svg;
}

/** A chart in its panel, around its active state. */
function showChart(panel: HTMLElement, svg: SVGSVGElement, key: string): void {
  const options: ZoomOptions = { key, ...CHART_SCALE, focus: svg.querySelector('g.node.active') };
  showZoomable(panel, svg, options);
}

async function renderNodeInfo(step: StepView, token: number): Promise<void> {
  const node = selectedNode(step);
  byId('node-name').textContent = node?.name ?? '(none)';
  const fields: [string, string][] = node
    ? [
        ['driver', node.driver],
        ['ro', String(node.ro)],
        ['state', node.state],
        ['open mode', node.openMode ?? '—'],
        ['filename', node.filename],
        ['perm', node.perm],
        ['shared', node.shared],
      ]
    : [];
  fill(byId('node-fields'), ...fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, v)]));
  const target = byId('node-chart');
  const svg = node ? await chartSvg(data.charts.node, node.state) : null;
  if (token !== renderToken) return;
  target.dataset['active'] = node?.state ?? '';
  if (svg) showChart(target, svg, 'chart:node');
  else fill(target);
}

async function renderJobs(step: StepView, token: number): Promise<void> {
  const charts = await Promise.all(
    step.jobs.map(async (job) => {
      const panel = el('div', { class: 'chart', 'data-job': job.id, 'data-active': job.state });
      const section = el('section', { class: 'job' }, el('h2', {}, `${job.type} job ${job.id}: `, el('span', { class: 'job-state' }, job.state)), panel);
      return { job, panel, section, svg: await chartSvg(data.charts.job, job.state) };
    }),
  );
  if (token !== renderToken) return;
  fill(byId('jobs'), ...charts.map((c) => c.section));
  for (const { job, panel, svg } of charts) showChart(panel, svg, `chart:job:${job.id}`);
}

async function renderGraph(step: StepView, token: number): Promise<void> {
  const large = step.nodes.length > LARGE && state.selected !== null;
  const only = large ? neighbourhood(step, state.selected!, state.radius) : undefined;
  const shown = only ? step.nodes.filter((n) => only.has(`node:${n.name}`)).length : step.nodes.length;
  byId('graph-note').textContent = large
    ? `${shown} of ${step.nodes.length} nodes: within ${state.radius} edges of ${state.selected}, and what changed`
    : `${step.nodes.length} nodes, ${step.edges.length} edges`;
  byId('radius-label').hidden = !large;
  const svg = await renderDot(blockGraphDot(step, { selected: state.selected, ...(only ? { only } : {}) }));
  if (token !== renderToken) return;
  for (const g of svg.querySelectorAll('g.node')) {
    const id = titleOf(g);
    if (id.startsWith('node:')) g.addEventListener('click', () => go({ selected: id.slice('node:'.length) }));
  }
  const target = byId('graph');
  const focus = [...svg.querySelectorAll('g.node')].find((g) => titleOf(g) === `node:${state.selected}`);
  showZoomable(target, svg, { key: 'graph', ...GRAPH_SCALE, focus });
  target.dataset['rendered'] = `${currentRun().model}:${step.index}`;
}

async function render(): Promise<void> {
  const token = ++renderToken;
  const step = currentStep();
  ensureSelection(step);
  document.body.dataset['model'] = currentRun().model;
  document.body.dataset['step'] = String(state.step);
  document.body.dataset['ready'] = 'false';
  renderHeader();
  renderTimeline();
  renderStepInfo(step);
  renderNodeSelect(step);
  try {
    await Promise.all([renderGraph(step, token), renderNodeInfo(step, token), renderJobs(step, token)]);
  } catch (error) {
    fill(byId('graph'), el('p', { class: 'error' }, `cannot draw: ${(error as Error).message}`));
  }
  if (token === renderToken) document.body.dataset['ready'] = 'true';
}

function go(change: Partial<ViewState>): void {
  Object.assign(state, change);
  const last = currentRun().steps.length - 1;
  state.step = Math.max(0, Math.min(state.step, last));
  void render();
}

function togglePlay(): void {
  const button = byId('play');
  if (playing) {
    clearInterval(playing);
    playing = null;
    button.textContent = '▶ play';
    return;
  }
  if (state.step === currentRun().steps.length - 1) go({ step: 0 });
  button.textContent = '❚❚ pause';
  playing = setInterval(() => {
    go({ step: state.step + 1 });
    if (state.step >= currentRun().steps.length - 1) togglePlay();
  }, PLAY_INTERVAL_MS);
}

byId('prev').addEventListener('click', () => go({ step: state.step - 1 }));
byId('next').addEventListener('click', () => go({ step: state.step + 1 }));
byId('play').addEventListener('click', togglePlay);
byId<HTMLSelectElement>('node-select').addEventListener('change', (e) => go({ selected: (e.target as HTMLSelectElement).value }));
byId<HTMLInputElement>('radius').addEventListener('change', (e) => go({ radius: Math.max(1, Number((e.target as HTMLInputElement).value) || 1) }));
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') go({ step: state.step + 1 });
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') go({ step: state.step - 1 });
  else if (e.key === 'Home') go({ step: 0 });
  else if (e.key === 'End') go({ step: currentRun().steps.length - 1 });
  else if (e.key === ' ') togglePlay();
  else return;
  e.preventDefault();
});

void render();
