/**
 * `permgraph qsd`: qemu-storage-daemon's command line. Its complaints about bad command lines are
 * the daemon's, word for word and with its exit status (test/fixtures/qsd/errors.json, recorded
 * from qemu-storage-daemon 7.2 and checked against it again when it is here); and a script written
 * for the daemon (test/fixtures/qsd/start-and-query.sh: its command line, --daemonize and a pid
 * file, QMP on its monitor socket) prints the same under both programs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runQsd } from '../src/cli/qsd-command.js';
import { isRoot, missing } from './support/environment.js';

interface Case {
  readonly args: readonly string[];
  readonly status: number;
  readonly stderr: string;
}

const CASES = JSON.parse(readFileSync(new URL('fixtures/qsd/errors.json', import.meta.url), 'utf8')) as Case[];
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync('/tmp/permgraph-qsd-');
writeFileSync(join(scratch, 'k.img'), Buffer.alloc(1 << 20));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const withDir = (args: readonly string[]): string[] => args.map((a) => a.replaceAll('$W', scratch));

describe('permgraph qsd refuses a bad command line as qemu-storage-daemon 7.2 does', () => {
  it.each(CASES.map((c) => [c.args.join(' '), c] as const))('%s', async (_name, c) => {
    let stderr = '';
    const status = await runQsd(withDir(c.args), { stdout: () => undefined, stderr: (text) => (stderr += text) }, { PERMGRAPH_MODEL: 'qemu-7.2' });
    expect({ status, stderr: stderr.replaceAll(scratch, '$W') }).toEqual({ status: c.status, stderr: c.stderr });
  });
});

const liveWhy = missing(['qemu-storage-daemon']);
describe.skipIf(liveWhy)(`the recorded refusals are still qemu-storage-daemon's${liveWhy ? ` (skipped: ${liveWhy})` : ''}`, () => {
  it('every case', () => {
    for (const c of CASES) {
      const run = spawnSync('timeout', ['5', 'qemu-storage-daemon', ...withDir(c.args)], { encoding: 'utf8' });
      expect({ args: c.args, status: run.status, stderr: run.stderr.replaceAll(scratch, '$W') }).toEqual(c);
    }
  });
});

// the script chmods an image 0444: only an unprivileged user is refused it, as in the recording
const scriptWhy = missing(['qemu-img', 'python3', ...(isRoot() ? ['setpriv'] : [])]) ?? (isRoot() ? null : 'the script runs as nobody, which needs root');
const SCRIPT = join(root, 'test/fixtures/qsd/start-and-query.sh');
const EXPECTED = readFileSync(join(root, 'test/fixtures/qsd/start-and-query.out'), 'utf8');

/** The script's output with $QSD the given program, run as nobody in a scratch directory of its own. */
function runScript(program: string): string {
  const dir = mkdtempSync('/tmp/permgraph-qsd-script-');
  try {
    chmodSync(dir, 0o777);
    const run = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', SCRIPT, dir], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, QSD: program },
      timeout: 60_000,
    });
    return `${run.stdout}${run.stderr}`.replaceAll(dir, '$W');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(scriptWhy)(`a script written for qemu-storage-daemon runs unchanged against permgraph qsd${scriptWhy ? ` (skipped: ${scriptWhy})` : ''}`, () => {
  it('prints what it printed with the daemon (test/fixtures/qsd/start-and-query.out)', () => {
    expect(runScript(`${process.execPath} --import tsx ${root}src/cli/main.ts qsd`)).toBe(EXPECTED);
  }, 90_000);

  it.skipIf(missing(['qemu-storage-daemon']))('and the daemon still prints that', () => {
    expect(runScript('qemu-storage-daemon')).toBe(EXPECTED);
  }, 90_000);
});
