/**
 * The shared oracle's own driver (qsd_oracle.py compare) against `permgraph qmp --model
 * qemu-7.2`: every recorded scenario replayed on real files through the QMP socket, with the
 * driver's normalization, must match qemu-storage-daemon 7.2's recording.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missing } from './support/environment.js';
import { ORACLE_DIR, ORACLE_SCENARIOS } from './support/oracle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const why = missing(['python3', 'qemu-img', 'setpriv']);

describe.skipIf(why)(`oracle driver against permgraph qmp${why ? ` (skipped: ${why})` : ''}`, () => {
  it('every scenario matches the recording', () => {
    const run = spawnSync(
      'python3',
      [
        `${ORACLE_DIR}/qsd_oracle.py`, 'compare', '--deadline', '200',
        '--server-cmd', `${process.execPath} --import tsx ${root}src/cli/main.ts qmp --socket {sock} --model qemu-7.2`,
        '--cwd', root,
        ...ORACLE_SCENARIOS.map((name) => `${ORACLE_DIR}/scenarios/${name}.json`),
      ],
      { encoding: 'utf8', cwd: root, timeout: 240_000 },
    );
    const summary = run.stdout.split('\n').filter((l) => /: |scenarios match/.test(l));
    expect(summary, run.stderr).toContain(`${ORACLE_SCENARIOS.length}/${ORACLE_SCENARIOS.length} scenarios match`);
    expect(run.status).toBe(0);
  }, 250_000);
});
