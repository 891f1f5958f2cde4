/**
 * The differential corpus: every scenario of test/fixtures/corpus beside its recorded daemon
 * trace, plus the oracle's scenarios (test/fixtures/oracle), and the differences from permgraph
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
  /** 'corpus' (ours) or 'oracle' (the shared oracle's, copied into test/fixtures/oracle). */
  readonly from: 'corpus' | 'oracle';
}

function entries(dir: string, from: CorpusEntry['from']): CorpusEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.trace.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f.replace(/\.trace\.json$/, '.json'));
      return { ...readScenarioFile(file), trace: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Trace, from };
    });
}

export const CORPUS: readonly CorpusEntry[] = [...entries(CORPUS_DIR, 'corpus'), ...entries(SCENARIO_DIR, 'oracle')];

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
