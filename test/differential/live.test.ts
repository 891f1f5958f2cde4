/**
 * Every scenario of the corpus run live on each QEMU version's qemu-storage-daemon (7.2 on PATH,
 * 10.0.2 unpacked beside it) with the project's harness: the daemon must do what its recording
 * says (for the oracle's 7.2 scenarios, test/fixtures/oracle: what the shared oracle's own driver
 * recorded), and permgraph in the model that follows the daemon must agree with the live run but
 * for exactly the differences docs/fidelity.md lists. Runs as root (scenarios switch to `nobody`,
 * bind-mount and chattr); each run has its own mkdtemp scratch directory and its own daemon.
 */
import { describe, expect, it } from 'vitest';
import { differenceLine, differences } from '../../src/diff/compare.js';
import { normalizeTrace } from '../../src/diff/normalize.js';
import { recordOnDaemon } from '../../src/diff/record.js';
import { daemonBinary, QEMU_MODELS, toolBeside } from '../../src/diff/versions.js';
import type { Model } from '../../src/graph/types.js';
import { corpusOf, knownDifferences, permgraphDifferences } from '../support/corpus.js';
import { isRoot, missing, REQUIRE_ALL } from '../support/environment.js';

/** Runs wherever the model's daemon and root are there; skips saying why, or fails under PERMGRAPH_REQUIRE_ALL=1. */
function unavailable(model: Model): string | null {
  const binary = daemonBinary(model);
  const why = missing([binary, ...['qemu-img', 'qemu-io', 'qemu-nbd'].map((tool) => toolBeside(binary, tool)), 'setpriv', 'chattr', 'mount'], 'docs/fidelity.md, "Two daemons side by side"');
  if (why) return why;
  if (isRoot()) return null;
  if (REQUIRE_ALL) throw new Error('PERMGRAPH_REQUIRE_ALL=1 but the live differential suite needs root');
  return 'needs root';
}

for (const model of QEMU_MODELS) {
  const why = unavailable(model);
  const binary = daemonBinary(model);
  describe.skipIf(why)(`the corpus live on ${binary} (model ${model})${why ? ` (skipped: ${why})` : ''}`, () => {
    for (const entry of corpusOf(model)) {
      it(`${entry.name} (${entry.from}): daemon = recording, permgraph = daemon${knownDifferences(entry) ? ' but for the listed differences' : ''}`, async () => {
        const live = await recordOnDaemon(entry.scenario, entry.name, { binary });
        expect(differences(normalizeTrace(entry.trace), normalizeTrace(live), ['recording', 'daemon']).map(differenceLine)).toEqual([]);
        expect(permgraphDifferences(entry, live)).toEqual(knownDifferences(entry) ?? []);
      });
    }
  });
}
