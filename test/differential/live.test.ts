/**
 * Every scenario of the corpus run live on qemu-storage-daemon 7.2 with the project's harness:
 * the daemon must do what its recording says (for the oracle's scenarios, test/fixtures/oracle:
 * what the shared oracle's own driver recorded), and permgraph --model qemu-7.2 must agree with
 * the live run but for exactly the differences docs/fidelity.md lists. Runs as root (scenarios
 * switch to `nobody`, bind-mount and chattr); each run has its own mkdtemp scratch directory and
 * its own daemon.
 */
import { describe, expect, it } from 'vitest';
import { differenceLine, differences } from '../../src/diff/compare.js';
import { normalizeTrace } from '../../src/diff/normalize.js';
import { recordOnDaemon } from '../../src/diff/record.js';
import { CORPUS, KNOWN_DIFFERENCES, permgraphDifferences } from '../support/corpus.js';
import { isRoot, missing, REQUIRE_ALL } from '../support/environment.js';

/** Runs wherever the daemon and root are there; skips saying why, or fails under PERMGRAPH_REQUIRE_ALL=1. */
function unavailable(): string | null {
  const why = missing(['qemu-storage-daemon', 'qemu-img', 'qemu-io', 'qemu-nbd', 'setpriv', 'chattr', 'mount']);
  if (why) return why;
  if (isRoot()) return null;
  if (REQUIRE_ALL) throw new Error('PERMGRAPH_REQUIRE_ALL=1 but the live differential suite needs root');
  return 'needs root';
}

const why = unavailable();

describe.skipIf(why)(`the corpus live on qemu-storage-daemon${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const entry of CORPUS) {
    it(`${entry.name} (${entry.from}): daemon = recording, permgraph = daemon${KNOWN_DIFFERENCES[entry.name] ? ' but for the listed differences' : ''}`, async () => {
      const live = await recordOnDaemon(entry.scenario, entry.name);
      expect(differences(normalizeTrace(entry.trace), normalizeTrace(live), ['recording', 'daemon']).map(differenceLine)).toEqual([]);
      expect(permgraphDifferences(entry, live)).toEqual(KNOWN_DIFFERENCES[entry.name] ?? []);
    });
  }
});

