/**
 * The choice of models: one model, or two side by side (the left one and the one beside it), and
 * the list of what differs between the two at the current step.
 */
import { differenceAt, differenceLine } from '../src/view/model-difference.js';
import type { StepDifference, ViewData } from '../src/view/view-types.js';
import { byId, el, fill } from './dom.js';

/** The models shown: `run` on its own, or with `other` beside it (indices into the data's runs). */
export interface ModelChoice {
  readonly run: number;
  readonly other: number | null;
}

/** At most this many differences are listed (the rest are counted). */
const MAX_LISTED = 60;

/**
 * The model buttons (the left model) and the side-by-side select (the model beside it). Picking
 * the model that is beside as the left one swaps the two.
 */
export function renderModelPicker(data: ViewData, choice: ModelChoice, choose: (choice: ModelChoice) => void): void {
  fill(
    byId('models'),
    ...data.runs.map((run, i) => {
      const button = el('button', { 'data-model': run.model, 'aria-pressed': String(i === choice.run) }, `model ${run.model}`);
      if (i === choice.other) button.classList.add('beside');
      button.addEventListener('click', () => choose(i === choice.other ? { run: i, other: choice.run } : { run: i, other: choice.other }));
      return button;
    }),
  );
  const select = byId<HTMLSelectElement>('compare');
  const options = data.runs.flatMap((run, i) => (i === choice.run ? [] : [el('option', { value: run.model }, run.model)]));
  fill(select, el('option', { value: '' }, 'none'), ...options);
  select.value = choice.other === null ? '' : data.runs[choice.other]!.model;
}

/** The choice after the side-by-side select changed to `model` ('' for none). */
export function besideChosen(data: ViewData, choice: ModelChoice, model: string): ModelChoice {
  const other = data.runs.findIndex((run) => run.model === model);
  return { run: choice.run, other: other < 0 || other === choice.run ? null : other };
}

/** What differs at step `index` between the two models chosen; null with one model. */
export function differenceOf(data: ViewData, choice: ModelChoice, index: number): StepDifference | null {
  if (choice.other === null) return null;
  return differenceAt(data.comparisons, data.runs[choice.run]!.model, data.runs[choice.other]!.model, index);
}

/** The steps at which the two models differ. */
export function differingSteps(data: ViewData, choice: ModelChoice): ReadonlySet<number> {
  const steps = data.runs[choice.run]!.steps.map((_, i) => i);
  return new Set(steps.filter((i) => (differenceOf(data, choice, i)?.lines.length ?? 0) > 0));
}

/** The step panel's list of differences: `base: ro false | true`. */
export function renderDifferences(data: ViewData, choice: ModelChoice, difference: StepDifference | null): void {
  const section = byId('differences-section');
  section.hidden = choice.other === null;
  if (choice.other === null) return;
  byId('differences-models').textContent = `${data.runs[choice.run]!.model} | ${data.runs[choice.other]!.model}`;
  const lines = difference?.lines ?? [];
  const items = lines.slice(0, MAX_LISTED).map((d) => el('li', { 'data-subject': d.subject, 'data-what': d.what }, differenceLine(d)));
  if (lines.length > MAX_LISTED) items.push(el('li', {}, `… and ${lines.length - MAX_LISTED} more`));
  if (!lines.length) items.push(el('li', { class: 'none' }, 'none: the two models agree at this step'));
  fill(byId('differences'), ...items);
}
