/**
 * The differential corpus: every scenario of test/fixtures/corpus beside its recorded daemon
 * trace, plus the oracle's scenarios (test/fixtures/oracle), the examples (examples/, their
 * recordings in test/fixtures/examples), and the differences from permgraph
 * that docs/fidelity.md lists (test/fixtures/fidelity-differences.json), exactly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { differenceLine, differences } from '../../src/diff/compare.js';
import { normalizeTrace } from '../../src/diff/normalize.js';
import { readScenarioFile, type ScenarioFile } from '../../src/diff/scenario-file.js';
import { simulate } from '../../src/diff/simulate.js';
import type { Trace } from '../../src/diff/trace.js';
import { SCENARIO_DIR } from './oracle.js';

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/corpus', import.meta.url));

export interface CorpusEntry extends ScenarioFile {
  readonly trace: Trace;
  /** 'corpus' (ours), 'oracle' (the shared oracle's, copied into test/fixtures/oracle) or 'example'. */
  readonly from: 'corpus' | 'oracle' | 'example';
}

/** Each NAME.trace.json of traceDir with its scenario, scenarioDir/NAME.json (or .yaml). */
function entries(traceDir: string, from: CorpusEntry['from'], scenarioDir = traceDir, extension = '.json'): CorpusEntry[] {
  return readdirSync(traceDir)
    .filter((f) => f.endsWith('.trace.json'))
    .sort()
    .map((f) => {
      const file = join(scenarioDir, f.replace(/\.trace\.json$/, extension));
      return { ...readScenarioFile(file), trace: JSON.parse(readFileSync(join(traceDir, f), 'utf8')) as Trace, from };
    });
}

const EXAMPLE_TRACES = fileURLToPath(new URL('../fixtures/examples', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

export const CORPUS: readonly CorpusEntry[] = [
  ...entries(CORPUS_DIR, 'corpus'),
  ...entries(SCENARIO_DIR, 'oracle'),
  ...entries(EXAMPLE_TRACES, 'example', EXAMPLES, '.yaml'),
];

/** Scenario name -> the difference lines (daemon vs permgraph, model qemu-7.2) docs/fidelity.md lists. */
export const KNOWN_DIFFERENCES = JSON.parse(
  readFileSync(new URL('../fixtures/fidelity-differences.json', import.meta.url), 'utf8'),
) as Readonly<Record<string, readonly string[]>>;

export const SIDES = ['daemon', 'permgraph'] as const;

/** The difference lines between a daemon trace and permgraph's run of the same scenario. */
export function permgraphDifferences(entry: ScenarioFile, daemon: Trace): string[] {
  const simulated = simulate(entry.scenario, entry.name, { model: 'qemu-7.2', file: entry.file });
  return differences(normalizeTrace(daemon), normalizeTrace(simulated), SIDES).map(differenceLine);
}
