/**
 * What the viewer is given, as plain JSON: for each read-only model, every step of the scenario
 * with the block graph after it, what changed since the step before, and what a refusal blames;
 * and for each pair of models, what differs between them at each step. Type-only, so the page can
 * share it. A step's own types are the DOT renderer's (viz/step-view.ts).
 */
import type { StepView, VertexId } from '../viz/step-view.js';

export type { BitmapView, Blame, Changed, ChardevView, EdgeView, JobView, NodeView, StepView, StoredBitmapView, UserView, VertexId } from '../viz/step-view.js';

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

/** One thing that differs between two models at a step: `base: ro false | true`. */
export interface Difference {
  /** A node's name, an edge as `top -backing-> base`, `job ID`, or `reply`. */
  readonly subject: string;
  /** `ro`, `state`, `open mode`, `bitmaps`, `perm`, `shared`; `node` or `edge` when one side lacks it (`—`); empty for the reply. */
  readonly what: string;
  readonly left: string;
  readonly right: string;
}

export interface StepDifference {
  /** The nodes (`node:NAME`) and jobs (`job:ID`) that differ, lit on whichever side has them. */
  readonly vertices: readonly VertexId[];
  /** The edges that differ, by each side's own edge ids. */
  readonly leftEdges: readonly number[];
  readonly rightEdges: readonly number[];
  readonly lines: readonly Difference[];
}

/** Two models' runs of the scenario compared, one entry per step. */
export interface ModelComparison {
  readonly left: string;
  readonly right: string;
  readonly steps: readonly StepDifference[];
}

export interface ViewData {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  /** The scenario's own model first. */
  readonly runs: readonly ModelRun[];
  /** Every pair of runs, in the order of `runs` (look one up either way round with differenceAt). */
  readonly comparisons: readonly ModelComparison[];
  readonly charts: { readonly node: ChartView; readonly job: ChartView };
}
