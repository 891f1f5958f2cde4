/**
 * Jobs whose first read of their source fails (src/jobs/source-read.ts, firstRead() in
 * src/jobs/lifecycle.ts): the QMP events of every step, in order, as each daemon sent them
 * (corpus: job-source-read-error, job-mirror-source-read-error, recorded on QEMU 7.2 and 10.0.2).
 * The trace comparison leaves events out; this holds the BLOCK_JOB_* events to the recordings (the
 * status changes of drained sections and of refused job starts are not all simulated).
 */
import { describe, expect, it } from 'vitest';
import { QEMU_MODELS } from '../src/diff/versions.js';
import { playScenario } from '../src/scenario/play.js';
import { corpusOf } from './support/corpus.js';

const SCENARIOS = ['job-source-read-error', 'job-mirror-source-read-error'];

/** An event's name and data, the data's members in order (the daemon's JSON keeps its own order). */
const shown = (event: { readonly event: string; readonly data?: unknown }): string => {
  const data = (event.data ?? {}) as Record<string, unknown>;
  return `${event.event} ${JSON.stringify(Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))))}`;
};

describe('jobs that cannot read their source', () => {
  for (const model of QEMU_MODELS) {
    for (const name of SCENARIOS) {
      it(`${name} (${model}): the block job events of every step are the daemon's`, () => {
        const entry = corpusOf(model).find((e) => e.name === name && e.from === 'corpus')!;
        const result = playScenario(entry.scenario, entry.file, model, 'virtual');
        try {
          const blockJob = (events: readonly { readonly event: string; readonly data?: unknown }[]): string[] => events.filter((e) => e.event.startsWith('BLOCK_JOB_')).map(shown);
          const recorded = entry.trace.steps.map((step) => blockJob((step.events ?? []) as { event: string; data?: unknown }[]));
          const simulated = result.steps.map((step) => blockJob(step.events));
          expect(recorded.flat().filter((e) => e.startsWith('BLOCK_JOB_ERROR')).length).toBeGreaterThan(0);
          expect(simulated).toEqual(recorded);
        } finally {
          result.permgraph.dispose();
        }
      });
    }
  }
});
