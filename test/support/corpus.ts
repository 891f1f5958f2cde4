/**
 * The differential corpus: every scenario of test/fixtures/corpus beside its recorded daemon
 * traces (NAME.trace.json on QEMU 7.2, NAME.qemu-10.0.trace.json on 10.0), plus the oracle's
 * scenarios (test/fixtures/oracle), the examples (examples/, their recordings in
 * test/fixtures/examples), and the differences from permgraph that docs/fidelity.md lists for
 * each model (test/fixtures/fidelity-differences.json for qemu-7.2,
 * fidelity-differences.MODEL.json for the others), exactly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../../machines/node.types.js';
import { differenceLine, differences } from '../../src/diff/compare.js';
import { normalizeTrace } from '../../src/diff/normalize.js';
import { readScenarioFile, type ScenarioFile } from '../../src/diff/scenario-file.js';
import { simulate } from '../../src/diff/simulate.js';
import type { Trace } from '../../src/diff/trace.js';
import { FIRST_QEMU_MODEL, QEMU_MODELS, traceFileOf } from '../../src/diff/versions.js';
import { SCENARIO_DIR } from './oracle.js';

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/corpus', import.meta.url));

export interface CorpusEntry extends ScenarioFile {
  readonly trace: Trace;
  /** 'corpus' (ours), 'oracle' (the shared oracle's, copied into test/fixtures/oracle) or 'example'. */
  readonly from: 'corpus' | 'oracle' | 'example';
  /** The QEMU model the trace's daemon is followed by. */
  readonly model: Model;
}

/** Each trace of traceDir with its scenario, scenarioDir/NAME.json (or .yaml). */
function entries(traceDir: string, from: CorpusEntry['from'], scenarioDir = traceDir, extension = '.json'): CorpusEntry[] {
  return readdirSync(traceDir)
    .sort()
    .flatMap((f) => {
      const traceFile = traceFileOf(f);
      if (!traceFile) return [];
      const file = join(scenarioDir, `${traceFile.stem}${extension}`);
      return [{ ...readScenarioFile(file), trace: JSON.parse(readFileSync(join(traceDir, f), 'utf8')) as Trace, from, model: traceFile.model }];
    });
}

const EXAMPLE_TRACES = fileURLToPath(new URL('../fixtures/examples', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

export const CORPUS: readonly CorpusEntry[] = [
  ...entries(CORPUS_DIR, 'corpus'),
  ...entries(SCENARIO_DIR, 'oracle'),
  ...entries(EXAMPLE_TRACES, 'example', EXAMPLES, '.yaml'),
];

/** The corpus recorded on one QEMU model's daemon. */
export const corpusOf = (model: Model): readonly CorpusEntry[] => CORPUS.filter((e) => e.model === model);

function differencesFile(model: Model): Readonly<Record<string, readonly string[]>> {
  const url = new URL(`../fixtures/fidelity-differences${model === FIRST_QEMU_MODEL ? '' : `.${model}`}.json`, import.meta.url);
  return existsSync(url) ? (JSON.parse(readFileSync(url, 'utf8')) as Record<string, readonly string[]>) : {};
}

/** Model -> scenario name -> the difference lines (daemon vs permgraph) docs/fidelity.md lists. */
export const KNOWN_DIFFERENCES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = Object.fromEntries(
  QEMU_MODELS.map((model) => [model, differencesFile(model)]),
);

/** What docs/fidelity.md lists for this entry's scenario in its model, if anything. */
export const knownDifferences = (entry: Pick<CorpusEntry, 'name' | 'model'>): readonly string[] | undefined => KNOWN_DIFFERENCES[entry.model]?.[entry.name];

export const SIDES = ['daemon', 'permgraph'] as const;

/** The difference lines between a daemon trace and permgraph's run of the same scenario, in the entry's model. */
export function permgraphDifferences(entry: ScenarioFile & { readonly model: Model }, daemon: Trace): string[] {
  const simulated = simulate(entry.scenario, entry.name, { model: entry.model, file: entry.file });
  return differences(normalizeTrace(daemon), normalizeTrace(simulated), SIDES).map(differenceLine);
}
