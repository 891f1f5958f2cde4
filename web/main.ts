/**
 * The viewer: a timeline of a scenario's steps, the block graph after the current step with what
 * changed lit, the state chart of the selected node and of each job with the active state lit, the
 * step's command, reply and events, and the choice of read-only model: one, or two side by side
 * with what differs between them lit. All it shows comes from /data.json, computed by
 * `permgraph view`.
 */
import type { ChartView, ModelRun, NodeView, StepDifference, StepView, ViewData } from '../src/view/view-types.js';
import { byId, el, fill } from './dom.js';
import { drawGraph, type Lit } from './graph-pane.js';
import { bitmapLines } from '../src/viz/bitmap-chardev-dot.js';
import { renderDot, titleOf } from './graphviz.js';
import { showZoomable, type ZoomOptions } from './panzoom.js';
import { besideChosen, differenceOf, differingSteps, renderDifferences, renderModelPicker } from './side-by-side.js';

const PLAY_INTERVAL_MS = 1000;
/**
 * Screen pixels per Graphviz point on first view of the charts: 1.15, so that their 9 pt
 * transition labels are ≥ 10 px; they are shown around the active state.
 */
const CHART_SCALE = { minScale: 1.15, maxScale: 1.5, wheelNeedsModifier: true } as const;

/** `run` and `other` are a ModelChoice: the model drawn, and the one beside it. */
interface ViewState {
  run: number;
  /** The model drawn beside the first, or null for one model. */
  other: number | null;
  step: number;
  selected: string | null;
  radius: number;
}

const data = (await (await fetch('./data.json')).json()) as ViewData;
const state: ViewState = { run: 0, other: null, step: 0, selected: null, radius: 2 };
let playing: ReturnType<typeof setInterval> | null = null;
let renderToken = 0;

const currentRun = (): ModelRun => data.runs[state.run]!;
const currentStep = (): StepView => currentRun().steps[state.step]!;
/** The model beside, at the same step; null with one model. */
const otherRun = (): ModelRun | null => (state.other === null ? null : data.runs[state.other]!);
const otherStep = (): StepView | null => otherRun()?.steps[state.step] ?? null;

function pretty(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 1);
}

function renderHeader(): void {
  byId('scenario-name').textContent = data.name;
  byId('scenario-description').textContent = data.description;
  renderModelPicker(data, state, (choice) => go(choice));
}

function stepClass(step: StepView): string {
  if (step.check && !step.check.ok) return 'failed';
  return step.reply && typeof step.reply === 'object' && 'error' in step.reply ? 'refused' : '';
}

function renderTimeline(): void {
  const differing = state.other === null ? new Set<number>() : differingSteps(data, state);
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
      if (differing.has(i)) button.dataset['differs'] = 'true';
      button.addEventListener('click', () => go({ step: i }));
      return el('li', {}, button);
    }),
  );
  byId('timeline').querySelector('[aria-current="step"]')?.scrollIntoView({ block: 'nearest' });
}

function renderStepInfo(step: StepView): void {
  const models = [currentRun(), otherRun()].flatMap((run) => (run ? [run.model] : [])).join(' | ');
  byId('step-index').textContent = `${step.index} of ${currentRun().steps.length - 1} (model ${models})`;
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

/** The nodes of the step, in both models when two are shown. */
function nodeNames(step: StepView): string[] {
  return [...new Set([...step.nodes, ...(otherStep()?.nodes ?? [])].map((n) => n.name))];
}

/** The selection, or something worth looking at in this step (first what differs, with two models). */
function ensureSelection(step: StepView, difference: StepDifference | null): void {
  if (state.selected !== null && nodeNames(step).includes(state.selected)) return;
  const differing = difference?.vertices.find((v) => v.startsWith('node:'))?.slice('node:'.length);
  state.selected = step.blame?.nodes[0] ?? differing ?? step.changed.nodes[0] ?? nodeNames(step)[0] ?? null;
}

function renderNodeSelect(step: StepView): void {
  const select = byId<HTMLSelectElement>('node-select');
  fill(select, ...nodeNames(step).map((name) => el('option', { value: name }, name)));
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
        ...(node.bitmaps?.length || node.storedBitmaps?.length ? [['bitmaps', bitmapLines(node).join('; ')] as [string, string]] : []),
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

interface Pane {
  readonly run: ModelRun;
  readonly step: StepView;
  readonly target: HTMLElement;
  readonly title: HTMLElement;
  readonly lit: Lit | null;
}

/** The graph, or two models' graphs side by side with what differs between them lit. */
async function renderGraphs(step: StepView, difference: StepDifference | null, token: number): Promise<void> {
  const lit = (edges: 'leftEdges' | 'rightEdges'): Lit | null => difference && { vertices: difference.vertices, edges: difference[edges] };
  const pane = (run: ModelRun, at: StepView, id: string, edges: 'leftEdges' | 'rightEdges'): Pane =>
    ({ run, step: at, target: byId(id), title: byId(`${id}-title`), lit: lit(edges) });
  const beside = otherStep();
  const panes = [pane(currentRun(), step, 'graph', 'leftEdges'), ...(beside ? [pane(otherRun()!, beside, 'graph-other', 'rightEdges')] : [])];
  if (!beside) fill(byId('graph-other'));
  byId('other-pane').hidden = !beside;
  const drawn = await Promise.all(
    panes.map(async ({ run, step: at, target, title, lit: shownLit }) => {
      const result = await drawGraph(target, at, {
        key: target.id,
        selected: state.selected,
        radius: state.radius,
        lit: shownLit,
        onSelect: (name) => go({ selected: name }),
        current: () => token === renderToken,
      });
      if (result) {
        target.dataset['rendered'] = `${run.model}:${at.index}`;
        title.textContent = `model ${run.model}: ${result.note}`;
      }
      return result;
    }),
  );
  if (token !== renderToken) return;
  const count = difference?.lines.length ?? 0;
  byId('graph-note').textContent = beside
    ? `${count || 'no'} difference${count === 1 ? '' : 's'} between ${currentRun().model} and ${otherRun()!.model} at this step${count ? ' (lit orange)' : ''}`
    : (drawn[0]?.note ?? '');
  byId('radius-label').hidden = !drawn.some((d) => d?.large);
}

async function render(): Promise<void> {
  const token = ++renderToken;
  const step = currentStep();
  const difference = differenceOf(data, state, state.step);
  ensureSelection(step, difference);
  document.body.dataset['model'] = currentRun().model;
  document.body.dataset['compare'] = otherRun()?.model ?? '';
  document.body.classList.toggle('side-by-side', state.other !== null);
  document.body.dataset['step'] = String(state.step);
  document.body.dataset['ready'] = 'false';
  renderHeader();
  renderTimeline();
  renderStepInfo(step);
  renderNodeSelect(step);
  renderDifferences(data, state, difference);
  try {
    // side by side, the charts make room for the second graph
    const charts = state.other === null ? [renderNodeInfo(step, token), renderJobs(step, token)] : [];
    await Promise.all([renderGraphs(step, difference, token), ...charts]);
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
byId<HTMLSelectElement>('compare').addEventListener('change', (e) => go(besideChosen(data, state, (e.target as HTMLSelectElement).value)));
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
