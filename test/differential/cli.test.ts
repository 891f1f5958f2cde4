/**
 * `permgraph diff` and `permgraph record`: exit 0 when daemon (or recording) and permgraph agree,
 * 1 with a per-step report when not, 2 with one line for bad input. The live cases run with the
 * live differential suite.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { normalizeTrace } from '../../src/diff/normalize.js';
import type { Trace } from '../../src/diff/trace.js';
import { CORPUS_DIR } from '../support/corpus.js';
import { isRoot, missing, REQUIRE_ALL } from '../support/environment.js';
import { daemonBinary, toolBeside } from '../../src/diff/versions.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-diff-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const scenario = join(CORPUS_DIR, 'conflict-second-qcow2-parent.json');
const recording = join(CORPUS_DIR, 'conflict-second-qcow2-parent.trace.json');

describe('permgraph diff --recorded', () => {
  it('says the recording and permgraph agree, and exits 0', async () => {
    const { code, out, err } = await cli('diff', scenario, '--recorded', recording);
    expect(err).toBe('');
    expect(out).toBe('conflict-second-qcow2-parent: recording (as nobody) vs permgraph --model qemu-7.2: same (7 steps)\n');
    expect(code).toBe(0);
  });

  it('shows what differs under the step it differs at, and exits 1', async () => {
    const trace = JSON.parse(readFileSync(recording, 'utf8')) as Trace & { steps: { error?: { desc: string } }[] };
    trace.steps[2]!.error!.desc = 'something else';
    const altered = join(scratch, 'altered.trace.json');
    writeFileSync(altered, JSON.stringify(trace));
    const { code, out } = await cli('diff', scenario, '--recorded', altered);
    expect(code).toBe(1);
    expect(out).toContain('1 difference(s)\nstep 2: blockdev-add {"driver":"qcow2","file":"fq","node-name":"q2"}\n');
    expect(out).toMatch(/^ {4}error\.desc: recording "something else", permgraph "Permission conflict on node 'fq': /m);
  });

  it('compares in the model asked for: dynamic differs from QEMU 7.2 on auto-read-only', async () => {
    const file = join(CORPUS_DIR, 'iotest232-rw-image-ro-unset-aro-on.json');
    const { code, out } = await cli('diff', file, '--recorded', file.replace(/\.json$/, '.trace.json'), '--model', 'dynamic');
    expect(code).toBe(1);
    expect(out).toMatch(/ro":false.*\n.*ro":true/);
  });

  it("takes the model from the recording's QEMU version, and refuses a version no model follows", async () => {
    const busy = join(CORPUS_DIR, 'conflict-job-busy.json');
    const ten = await cli('diff', busy, '--recorded', busy.replace(/\.json$/, '.qemu-10.0.trace.json'));
    expect([ten.code, ten.out]).toEqual([0, 'conflict-job-busy: recording (as nobody) vs permgraph --model qemu-10.0: same (14 steps)\n']);
    // QEMU 10.0's recording in model qemu-7.2: the op blocker's old words
    const asked = await cli('diff', busy, '--recorded', busy.replace(/\.json$/, '.qemu-10.0.trace.json'), '--model', 'qemu-7.2');
    expect(asked.code).toBe(1);
    expect(asked.out).toContain(`error.desc: recording "Node 'mid' is busy: block device is in use by block job: commit", permgraph "Device '(null)' is in use"`);
    const trace = JSON.parse(readFileSync(recording, 'utf8')) as Trace & { qemu: { qemu: Record<string, number> } };
    trace.qemu.qemu = { major: 9, minor: 1, micro: 0 };
    const nine = join(scratch, 'nine.trace.json');
    writeFileSync(nine, JSON.stringify(trace));
    expect(await cli('diff', scenario, '--recorded', nine)).toEqual({
      code: 2,
      out: '',
      err: 'permgraph: no model follows QEMU 9.1.0; the QEMU models are qemu-7.2 (7.2.22), qemu-10.0 (10.0.2)\n',
    });
    expect((await cli('diff', scenario, '--versions', '--model', 'dynamic')).err).toBe(
      'permgraph: diff: --versions runs every QEMU model against its own daemon; it takes no --recorded, --qsd or --model\n',
    );
  });

  it('refuses bad input with one line and exit 2', async () => {
    const missingFile = await cli('diff', join(scratch, 'nope.json'));
    expect([missingFile.code, missingFile.err]).toEqual([2, `permgraph: ${join(scratch, 'nope.json')}: cannot read: no such file\n`]);
    const badTrace = join(scratch, 'bad.trace.json');
    writeFileSync(badTrace, '{oops');
    const bad = await cli('diff', scenario, '--recorded', badTrace);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^permgraph: .*bad\.trace\.json:1:2: not valid JSON: .*\n$/);
    expect((await cli('diff', scenario, '--timeout', 'soon')).err).toBe("permgraph: --timeout: not a number of seconds: 'soon'\n");
    expect((await cli('record', scenario, scenario, '--out', join(scratch, 'x.json'))).err).toBe('permgraph: record: --out takes one scenario\n');
  });

  it('documents both commands in --help', async () => {
    const diff = await cli('diff', '--help');
    expect(diff.code).toBe(0);
    expect(diff.out).toContain('--recorded <trace>');
    expect(diff.out).toContain('--as-user <user>');
    const record = await cli('record', '--help');
    expect(record.code).toBe(0);
    expect(record.out).toContain('--out <trace>');
  });
});

const why = missing(['qemu-storage-daemon', 'qemu-img', 'setpriv']) ?? (isRoot() ? null : 'needs root');
if (why === 'needs root' && REQUIRE_ALL) throw new Error('PERMGRAPH_REQUIRE_ALL=1 but permgraph diff live needs root');

describe.skipIf(why)(`permgraph diff and record on the daemon${why ? ` (skipped: ${why})` : ''}`, () => {
  it('record writes the daemon trace the corpus holds', async () => {
    const out = join(scratch, 'recorded.trace.json');
    const { code, out: text } = await cli('record', scenario, '--out', out);
    expect(text).toMatch(/^conflict-second-qcow2-parent: 7 steps, [\d.]+s -> /);
    expect(code).toBe(0);
    const fresh = JSON.parse(readFileSync(out, 'utf8')) as Trace;
    expect(normalizeTrace(fresh)).toEqual(normalizeTrace(JSON.parse(readFileSync(recording, 'utf8')) as Trace));
  });

  it('a scenario whose setup fails is not run: one line, exit 2', async () => {
    const bad = join(scratch, 'bad-setup.json');
    writeFileSync(bad, JSON.stringify({ setup: [{ 'qemu-img': ['create', '-f', 'raw', '$W/a.img', 'huge'] }], steps: [{ execute: 'query-version' }] }));
    const { code, out, err } = await cli('diff', bad);
    expect([code, out]).toEqual([2, '']);
    expect(err.startsWith(`permgraph: ${bad}: not run on the daemon: setup[0]: qemu-img create failed: qemu-img: Invalid image size specified`)).toBe(true);
    expect(err.split('\n')).toHaveLength(2);
  });

  it('diff runs the daemon as the given user: as root a 0444 image is writable, so permgraph (which reads modes as nobody would) differs', async () => {
    const agreed = await cli('diff', join(CORPUS_DIR, 'rostore-0444-raw.json'));
    expect([agreed.code, agreed.out]).toEqual([0, 'rostore-0444-raw: daemon (as nobody) vs permgraph --model qemu-7.2: same (10 steps)\n']);
    const asRoot = await cli('diff', join(CORPUS_DIR, 'rostore-0444-raw.json'), '--as-user', 'self');
    expect(asRoot.code).toBe(1);
    expect(asRoot.out).toContain("step 0: blockdev-add");
    expect(asRoot.out).toContain("Could not open '$W/a.img': Permission denied");
  });
});

const qsd10 = daemonBinary('qemu-10.0');
const why10 = why ?? missing([qsd10, toolBeside(qsd10, 'qemu-img'), toolBeside(qsd10, 'qemu-io')], 'docs/fidelity.md, "Two daemons side by side"');

describe.skipIf(why10)(`permgraph diff --versions and record --qsd on both daemons${why10 ? ` (skipped: ${why10})` : ''}`, () => {
  it('diff --versions shows base read-only again after the abandoned active commit on 10.0 only, each model following its daemon', async () => {
    const { code, out } = await cli('diff', '--versions', 'examples/commit-auto-read-only.yaml');
    expect(out).toMatch(/^commit-auto-read-only: QEMU 7\.2\.\d+ vs QEMU 10\.0\.2\nQEMU 7\.2\.\d+ and QEMU 10\.0\.2 differ:\nstep 12: job-cancel/);
    expect(out).toMatch(/obs\.nodes: only in 7\.2\.\d+: \{"drv":"qcow2","file":"\$W\/base\.qcow2","node-name":"base","ro":false\}/);
    expect(out).toContain('obs.nodes: only in 10.0.2: {"drv":"qcow2","file":"$W/base.qcow2","node-name":"base","ro":true}');
    expect(out).toMatch(/model qemu-7\.2 follows QEMU 7\.2\.\d+: same \(14 steps\)\nmodel qemu-10\.0 follows QEMU 10\.0\.2: same \(14 steps\)\n$/);
    expect(code).toBe(0);
  });

  it("record --qsd names the trace by the daemon's version, and diff --qsd picks that version's model", async () => {
    const copy = join(scratch, 'conflict-job-busy.json');
    writeFileSync(copy, readFileSync(join(CORPUS_DIR, 'conflict-job-busy.json')));
    const recorded = await cli('record', '--qsd', qsd10, copy);
    expect(recorded.out).toMatch(/-> .*conflict-job-busy\.qemu-10\.0\.trace\.json\n$/);
    const fresh = JSON.parse(readFileSync(join(scratch, 'conflict-job-busy.qemu-10.0.trace.json'), 'utf8')) as Trace;
    const kept = JSON.parse(readFileSync(join(CORPUS_DIR, 'conflict-job-busy.qemu-10.0.trace.json'), 'utf8')) as Trace;
    expect(normalizeTrace(fresh)).toEqual(normalizeTrace(kept));
    const live = await cli('diff', '--qsd', qsd10, copy);
    expect([live.code, live.out]).toEqual([0, 'conflict-job-busy: daemon (as nobody) vs permgraph --model qemu-10.0: same (14 steps)\n']);
  });
});
