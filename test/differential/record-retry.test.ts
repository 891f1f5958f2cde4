/**
 * A daemon that goes quiet (as on a loaded machine) is run again rather than compared: the first
 * run's daemon is frozen with SIGSTOP once its QMP socket is there, so that run times out; the
 * second run is the real daemon's and is what recordOnDaemon returns.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordOnDaemon, failedForLoad } from '../../src/diff/record.js';
import { daemonBinary, FIRST_QEMU_MODEL } from '../../src/diff/versions.js';
import { parseScenario } from '../../src/scenario/load.js';
import { missing } from '../support/environment.js';

const binary = daemonBinary(FIRST_QEMU_MODEL);
const why = missing([binary]);
const scratch = mkdtempSync('/tmp/permgraph-retry-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A daemon binary whose first start freezes itself; later starts are the real daemon. */
function freezingOnce(): { readonly path: string; readonly froze: string } {
  const froze = join(scratch, 'froze');
  const path = join(scratch, 'qemu-storage-daemon');
  writeFileSync(path, `#!/bin/sh
if [ ! -e ${froze} ]; then
  touch ${froze}
  (until [ -S qmp.sock ]; do sleep 0.01; done; kill -STOP $$) &
fi
exec ${binary} "$@"
`);
  chmodSync(path, 0o755);
  return { path, froze };
}

const scenario = parseScenario(
  'as_user: self\nsteps:\n  - execute: blockdev-add\n    arguments: {driver: null-co, node-name: n}\n  - sleep: 0.5\n',
  'retry.yaml',
);

describe.skipIf(why)(`a daemon that times out is run again${why ? ` (skipped: ${why})` : ''}`, () => {
  it('the frozen run times out; the run after it is returned', async () => {
    const fake = freezingOnce();
    const once = await recordOnDaemon(scenario, 'retry', { binary: fake.path, timeout: 1.5, tries: 1 });
    expect(existsSync(fake.froze)).toBe(true);
    expect([once.aborted, failedForLoad(once)]).toEqual([once.aborted, true]);

    rmSync(fake.froze);
    const trace = await recordOnDaemon(scenario, 'retry', { binary: fake.path, timeout: 1.5 });
    expect(existsSync(fake.froze)).toBe(true);
    expect(failedForLoad(trace)).toBe(false);
    expect(trace.aborted ?? null).toBeNull();
    expect(trace.steps[0]).toMatchObject({ return: {} });
  }, 60_000);
});
