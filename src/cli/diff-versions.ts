/**
 * `permgraph diff --versions SCENARIO`: the scenario on every QEMU version's daemon (7.2, 10.0)
 * and in every QEMU model; where the daemons differ from the oldest, and whether each model
 * follows its own daemon. For anyone upgrading QEMU under a management stack. Exit 0 when every
 * model follows its daemon, whatever the versions do; 1 otherwise.
 */
import { differences, formatDifferences } from '../diff/compare.js';
import { normalizeTrace } from '../diff/normalize.js';
import { notRun, recordOnDaemon } from '../diff/record.js';
import { readScenarioFile, type ScenarioFile } from '../diff/scenario-file.js';
import { simulate } from '../diff/simulate.js';
import type { Trace } from '../diff/trace.js';
import { daemonBinary, QEMU_MODELS, traceVersion } from '../diff/versions.js';
import type { Model } from '../graph/types.js';
import { ScenarioError } from '../scenario/load.js';

export interface DiffVersionsOptions {
  readonly asUser?: string;
  readonly timeout: number;
}

const versionOf = (trace: Trace): string => {
  const v = traceVersion(trace);
  return v ? `${v.major}.${v.minor}.${v.micro}` : 'unknown';
};

async function runOn(model: Model, { file, name, scenario }: ScenarioFile, options: DiffVersionsOptions): Promise<Trace> {
  const binary = daemonBinary(model);
  const trace = await recordOnDaemon(scenario, name, { timeout: options.timeout, binary, ...(options.asUser ? { asUser: options.asUser } : {}) });
  const failed = notRun(trace);
  if (failed) throw new ScenarioError(`${file}: not run on ${binary} (model ${model}): ${failed}`);
  return trace;
}

export async function diffVersions(file: string, options: DiffVersionsOptions, write: (text: string) => void): Promise<number> {
  const read = readScenarioFile(file);
  const { name, scenario } = read;
  const runs: { model: Model; trace: Trace }[] = [];
  for (const model of QEMU_MODELS) runs.push({ model, trace: await runOn(model, read, options) });
  const [oldest, ...newer] = runs;
  const label = (run: { trace: Trace }): string => `QEMU ${versionOf(run.trace)}`;
  write(`${name}: ${runs.map(label).join(' vs ')}\n`);
  for (const run of newer) {
    const diffs = differences(normalizeTrace(oldest!.trace), normalizeTrace(run.trace), [versionOf(oldest!.trace), versionOf(run.trace)]);
    write(diffs.length === 0 ? `${label(oldest!)} and ${label(run)}: same\n` : `${label(oldest!)} and ${label(run)} differ:\n${formatDifferences(normalizeTrace(oldest!.trace), diffs)}`);
  }
  let astray = 0;
  for (const { model, trace } of runs) {
    const simulated = simulate(scenario, name, { model, file });
    const diffs = differences(normalizeTrace(trace), normalizeTrace(simulated), [`daemon ${versionOf(trace)}`, `permgraph ${model}`]);
    if (diffs.length > 0) astray++;
    write(diffs.length === 0 ? `model ${model} follows ${label({ trace })}: same (${trace.steps.length} steps)\n` : `model ${model} differs from ${label({ trace })}:\n${formatDifferences(normalizeTrace(trace), diffs)}`);
  }
  return astray === 0 ? 0 : 1;
}
