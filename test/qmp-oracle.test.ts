/**
 * `permgraph qmp --model qemu-7.2` against the oracle's recordings: every scenario of
 * test/fixtures/oracle run on real files through the QMP socket, the server in a process of its
 * own as the scenario's user, observed after each step with the queries the daemon gets
 * (x-permgraph-query-open-files in place of /proc), normalized and compared by the project's
 * harness (src/diff) with what qemu-storage-daemon 7.2 was recorded doing: no difference.
 *
 * When the shared oracle lies beside the checkout (../shared/oracle), its own driver
 * (qsd_oracle.py compare) runs the same scenarios through the same server too; nothing needs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { differenceLine, differences } from '../src/diff/compare.js';
import { normalizeTrace } from '../src/diff/normalize.js';
import { readScenarioFile } from '../src/diff/scenario-file.js';
import { tracePathFor } from '../src/diff/versions.js';
import type { Trace } from '../src/diff/trace.js';
import { CORPUS_DIR } from './support/corpus.js';
import { isRoot, missing } from './support/environment.js';
import { ORACLE_SCENARIOS, SCENARIO_DIR, SHARED_ORACLE_DRIVER } from './support/oracle.js';
import { recordOnPermgraphQmp } from './support/qmp-server-trace.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const scenarioFile = (name: string): string => join(SCENARIO_DIR, `${name}.json`);
/** As root the server runs as the scenario's user (nobody), as the daemon did; else as you. */
const asUser = isRoot() ? {} : { asUser: 'self' };
const why = missing(['qemu-img', 'qemu-io', ...(isRoot() ? ['setpriv'] : [])]);

describe.skipIf(why)(`permgraph qmp against the oracle's recordings${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const name of ORACLE_SCENARIOS) {
    it(`${name}: permgraph qmp = recording`, async () => {
      const { scenario } = readScenarioFile(scenarioFile(name));
      const recording = JSON.parse(readFileSync(tracePathFor(scenarioFile(name)), 'utf8')) as Trace;
      const served = await recordOnPermgraphQmp(scenario, name, { model: 'qemu-7.2', ...asUser });
      const found = differences(normalizeTrace(recording), normalizeTrace(served), ['recording', 'permgraph qmp']);
      expect(found.map(differenceLine).map((d) => d.slice(0, 600))).toEqual([]);
    });
  }
});

/**
 * NBD client nodes of `permgraph qmp` on real storage really connect and negotiate with the real
 * qemu-nbd servers of the corpus's NBD scenarios (a handshake only: no data is read), so their
 * `ro` is what the server said, as the daemon's was. Left out, with why: nbd-read-write-server
 * (a qcow2 read through an NBD node needs the export's data), nbd-server-changes (a connection
 * that died with its server shows only in I/O, which a handshake has none of), nbd-server-locks
 * (real lock bytes are not read from the host).
 */
const NBD_QMP_SCENARIOS = ['nbd-auto-read-only-degrade', 'nbd-open-errors', 'nbd-odd-addresses', 'nbd-named-exports', 'nbd-commit-into-nbd-base', 'nbd-jobs-targets', 'nbd-filenames'];
const nbdWhy = missing(['qemu-img', 'qemu-io', 'qemu-nbd', ...(isRoot() ? ['setpriv'] : [])]);

describe.skipIf(nbdWhy)(`permgraph qmp with real qemu-nbd servers against the daemon's recordings${nbdWhy ? ` (skipped: ${nbdWhy})` : ''}`, () => {
  for (const name of NBD_QMP_SCENARIOS) {
    it(`${name}: permgraph qmp = recording`, async () => {
      const file = join(CORPUS_DIR, `${name}.json`);
      const { scenario } = readScenarioFile(file);
      const recording = JSON.parse(readFileSync(tracePathFor(file), 'utf8')) as Trace;
      const served = await recordOnPermgraphQmp(scenario, name, { model: 'qemu-7.2', ...asUser });
      const found = differences(normalizeTrace(recording), normalizeTrace(served), ['recording', 'permgraph qmp']);
      expect(found.map(differenceLine).map((d) => d.slice(0, 600))).toEqual([]);
    }, 60_000);
  }
});

const sharedWhy = existsSync(SHARED_ORACLE_DRIVER)
  ? missing(['python3', 'qemu-img', 'setpriv'])
  : `no shared oracle driver at ${SHARED_ORACLE_DRIVER} (optional: the test above runs the same scenarios)`;

describe.skipIf(sharedWhy)(`the shared oracle's driver against permgraph qmp${sharedWhy ? ` (skipped: ${sharedWhy})` : ''}`, () => {
  it('qsd_oracle.py compare: every scenario matches the recording', () => {
    const run = spawnSync(
      'python3',
      [
        SHARED_ORACLE_DRIVER, 'compare', '--deadline', '200',
        '--server-cmd', `${process.execPath} --import tsx ${root}src/cli/main.ts qmp --socket {sock} --model qemu-7.2`,
        '--cwd', root,
        ...ORACLE_SCENARIOS.map(scenarioFile),
      ],
      { encoding: 'utf8', cwd: root, timeout: 240_000 },
    );
    const summary = run.stdout.split('\n').filter((l) => /: |scenarios match/.test(l));
    expect(summary, run.stderr).toContain(`${ORACLE_SCENARIOS.length}/${ORACLE_SCENARIOS.length} scenarios match`);
    expect(run.status).toBe(0);
  }, 250_000);
});
