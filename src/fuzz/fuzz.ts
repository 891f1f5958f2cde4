/**
 * `permgraph fuzz`'s engine: N random sequences (generate.ts), each run on the real daemon and on
 * permgraph (check.ts), K daemons side by side; every sequence that differs is shrunk
 * (shrink.ts) and written with its daemon trace to the output folder, where `permgraph diff`
 * (or `diff --recorded`) replays it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { differenceLine } from '../diff/compare.js';
import type { Model } from '../graph/types.js';
import type { Scenario } from '../scenario/schema.js';
import { checkScenario, type CheckOptions } from './check.js';
import { generateScenario } from './generate.js';
import { sequenceSeed } from './random.js';
import { shrinkScenario } from './shrink.js';
import type { Trace } from '../diff/trace.js';
import { modelOfTrace, tracePathFor } from '../diff/versions.js';

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  readonly model: Model;
  readonly qsd?: string;
  /** Daemons side by side. */
  readonly jobs: number;
  /** Where shrunk findings are written (none when undefined). */
  readonly out?: string;
  readonly maxSteps?: number;
  /** Runs on the daemon a shrink may take. */
  readonly shrinkTries?: number;
  readonly onSequence?: (done: number, identical: number) => void;
}

export interface Finding {
  readonly index: number;
  readonly name: string;
  /** The first differences of the shrunk sequence, one line each. */
  readonly differences: readonly string[];
  readonly steps: number;
  readonly originalSteps: number;
  readonly file?: string;
}

export interface FuzzResult {
  readonly total: number;
  readonly identical: number;
  readonly findings: readonly Finding[];
  /** Sequences the daemon could not run at all, with why. */
  readonly notRun: readonly string[];
}

async function examine(index: number, options: FuzzOptions, check: CheckOptions): Promise<Finding | string | null> {
  const name = `fuzz-${options.seed}-${index}`;
  const scenario = generateScenario(sequenceSeed(options.seed, index), name, options.maxSteps ? { maxSteps: options.maxSteps } : {});
  const first = await checkScenario(scenario, name, check);
  if (first.notRun) return `${name}: ${first.notRun}`;
  if (first.differences.length === 0) return null;
  const stillDiffers = async (candidate: Scenario): Promise<boolean> => {
    const run = await checkScenario(candidate, name, check);
    return run.notRun === null && run.differences.length > 0;
  };
  const shrunk = await shrinkScenario(scenario, stillDiffers, options.shrinkTries);
  const last = await checkScenario(shrunk, name, check);
  const kept = last.differences.length > 0 ? { scenario: shrunk, run: last } : { scenario, run: first };
  const file = options.out ? writeFinding(options.out, name, kept.scenario, kept.run.trace) : undefined;
  return {
    index,
    name,
    differences: kept.run.differences.slice(0, 3).map(differenceLine),
    steps: kept.scenario.steps.length,
    originalSteps: scenario.steps.length,
    ...(file ? { file } : {}),
  };
}

/** The shrunk scenario, and its daemon trace named for the daemon's version (NAME.trace.json on 7.2). */
function writeFinding(out: string, name: string, scenario: Scenario, trace: Trace): string {
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(scenario, null, 1)}\n`);
  writeFileSync(tracePathFor(file, modelOfTrace(trace)), `${JSON.stringify(trace, null, 1)}\n`);
  return file;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const check: CheckOptions = { model: options.model, ...(options.qsd ? { qsd: options.qsd } : {}) };
  const findings: Finding[] = [];
  const notRun: string[] = [];
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < options.count; index = next++) {
      const outcome = await examine(index, options, check);
      if (typeof outcome === 'string') notRun.push(outcome);
      else if (outcome) findings.push(outcome);
      done++;
      options.onSequence?.(done, done - findings.length - notRun.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  findings.sort((a, b) => a.index - b.index);
  return { total: options.count, identical: options.count - findings.length - notRun.length, findings, notRun };
}
