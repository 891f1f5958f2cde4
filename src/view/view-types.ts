/**
 * What the viewer is given, as plain JSON: for each read-only model, every step of the scenario
 * with the block graph after it, what changed since the step before, and what a refusal blames.
 * Type-only, so the page can share it. A step's own types are the DOT renderer's (viz/step-view.ts).
 */
import type { StepView } from '../viz/step-view.js';

export type { Blame, Changed, EdgeView, JobView, NodeView, StepView, UserView, VertexId } from '../viz/step-view.js';

export interface ModelRun {
  readonly model: string;
  readonly ok: boolean;
  readonly steps: readonly StepView[];
}

export interface ChartView {
  /** DOT of the machine's chart; each state's node id is its state name. */
  readonly dot: string;
  readonly states: readonly string[];
}

export interface ViewData {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  /** The scenario's own model first. */
  readonly runs: readonly ModelRun[];
  readonly charts: { readonly node: ChartView; readonly job: ChartView };
}
