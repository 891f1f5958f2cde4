/**
 * One sequence on both sides: recorded on the real qemu-storage-daemon, simulated on permgraph,
 * both normalized as `permgraph diff` does, and the differences between them.
 */
import { differences, type Difference } from '../diff/compare.js';
import { normalizeTrace } from '../diff/normalize.js';
import { notRun, recordOnDaemon } from '../diff/record.js';
import { simulate } from '../diff/simulate.js';
import type { Trace } from '../diff/trace.js';
import type { Model } from '../graph/types.js';
import type { Scenario } from '../scenario/schema.js';

export interface CheckOptions {
  readonly model: Model;
  /** The qemu-storage-daemon binary (default: the one on PATH). */
  readonly qsd?: string;
  /** Every QMP read's limit, in seconds. */
  readonly timeout?: number;
}

export interface Checked {
  readonly trace: Trace;
  readonly differences: readonly Difference[];
  /** Why the daemon could not run the sequence at all (then there is nothing to compare). */
  readonly notRun: string | null;
}

export async function checkScenario(scenario: Scenario, name: string, options: CheckOptions): Promise<Checked> {
  const trace = await recordOnDaemon(scenario, name, { timeout: options.timeout ?? 10, ...(options.qsd ? { binary: options.qsd } : {}) });
  const failed = notRun(trace);
  if (failed) return { trace, differences: [], notRun: failed };
  const simulated = simulate(scenario, name, { model: options.model });
  return { trace, differences: differences(normalizeTrace(trace), normalizeTrace(simulated), ['daemon', 'permgraph']), notRun: null };
}
