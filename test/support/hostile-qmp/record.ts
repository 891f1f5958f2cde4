/**
 * Records the hostile QMP corpus (cases.ts) on the real qemu-storage-daemon 7.2 and writes
 * test/fixtures/hostile-qmp/<kind>.json: each case's bytes with every line the daemon sent.
 *
 *   node --import tsx test/support/hostile-qmp/record.ts              # record all, write the fixtures (about 2 minutes)
 *   node --import tsx test/support/hostile-qmp/record.ts --kind KIND  # record one kind, write its fixture
 *   node --import tsx test/support/hostile-qmp/record.ts --only TEXT  # the cases whose name contains TEXT, printed, nothing written
 *
 * The daemon runs on a unix socket in a scratch directory (src/diff/daemon.ts); each case gets a
 * connection of its own. The cases of a kind share one daemon, a case that changes the daemon's
 * state gets one of its own. A case is kept but marked excluded when the daemon's answer is no
 * reference: a line that is not JSON (`inf`), no sync reply in time, a crash.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon, type Daemon } from '../../../src/diff/daemon.js';
import { identity } from '../../../src/diff/identity.js';
import { hostileCases, KINDS } from './cases.js';
import { DEFAULT_TIMEOUT_MS, encodeLine, invalidReply, playCase, type FixtureFile, type HostileCase, type Played, type RecordedCase } from './wire.js';

const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/hostile-qmp');

interface Running {
  readonly daemon: Daemon;
  readonly workdir: string;
  readonly socket: string;
}

async function start(): Promise<Running> {
  const workdir = mkdtempSync(join(tmpdir(), 'hostile-qmp-'));
  const daemon = await startDaemon({ workdir, identity: identity(null), timeoutMs: 10_000 });
  // the chardev serves one client at a time: let the cases have it
  daemon.qmp.close();
  return { daemon, workdir, socket: join(workdir, 'qmp.sock') };
}

async function stop(running: Running): Promise<string> {
  const { code, signal } = await running.daemon.stop();
  rmSync(running.workdir, { recursive: true, force: true });
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function recorded(c: HostileCase, played: Played, excluded: string | null): RecordedCase {
  const greeting = played.greeting ? encodeLine(played.greeting) : '';
  const replies = played.replies.map(encodeLine);
  const invalid = [greeting, ...replies].map(invalidReply).find((r) => r !== null);
  const why = excluded ?? (invalid ? `the daemon sent ${invalid}` : null);
  return { ...c, greeting, replies, ...(why ? { excluded: why } : {}) };
}

/** Plays `cases` in order on one daemon (a new one after a crash). */
async function recordBatch(cases: readonly HostileCase[]): Promise<RecordedCase[]> {
  const out: RecordedCase[] = [];
  let running = await start();
  for (const c of cases) {
    const played = await playCase(running.socket, c);
    let excluded: string | null = null;
    if (played.end !== 'sync') {
      if (!alive(running.daemon.pid)) {
        const said = running.daemon.takeOutput().trim().split('\n').slice(-3).join(' ');
        excluded = `the daemon crashed (${await stop(running)})${said ? `: ${said}` : ''}`;
        running = await start();
      } else if (played.end === 'timeout') {
        excluded = `the daemon did not answer the sync command within ${(c.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`;
        // whatever it is still chewing on must not reach the next case
        await stop(running);
        running = await start();
      } else {
        excluded = `the daemon ${played.end === 'refused' ? 'refused the connection' : 'closed the connection'}${played.detail ? ` (${played.detail})` : ''}`;
      }
    }
    out.push(recorded(c, played, excluded));
  }
  await stop(running);
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const only = option('--only');
  const kind = option('--kind');
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) throw new Error(`no kind '${kind}'; kinds: ${KINDS.join(', ')}`);
  const all = hostileCases().filter((c) => (only === undefined || c.name.includes(only)) && (kind === undefined || c.kind === kind));
  const version = execFileSync('qemu-storage-daemon', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  if (!/version 7\.2\./.test(version)) throw new Error(`qemu-storage-daemon 7.2 is needed, found: ${version}`);
  const began = Date.now();
  const byKind = new Map<string, RecordedCase[]>();
  for (const k of KINDS) {
    const cases = all.filter((c) => c.kind === k);
    if (cases.length === 0) continue;
    const done = new Map<string, RecordedCase>();
    for (const r of await recordBatch(cases.filter((c) => !c.isolated))) done.set(r.name, r);
    for (const c of cases.filter((c) => c.isolated)) for (const r of await recordBatch([c])) done.set(r.name, r);
    const ordered = cases.map((c) => done.get(c.name)!);
    byKind.set(k, ordered);
    const excluded = ordered.filter((r) => r.excluded).length;
    process.stderr.write(`${k}: ${ordered.length} cases, ${excluded} excluded (${((Date.now() - began) / 1000).toFixed(1)} s)\n`);
  }
  if (only !== undefined) {
    for (const cases of byKind.values()) {
      for (const r of cases) {
        process.stdout.write(`\n== ${r.name}${r.isolated ? ' (isolated)' : ''}${r.excluded ? ` EXCLUDED: ${r.excluded}` : ''}\n`);
        for (const line of r.replies) process.stdout.write(`  ${typeof line === 'string' ? JSON.stringify(line.length > 300 ? `${line.slice(0, 300)}…` : line) : `base64 ${line.base64}`}\n`);
      }
    }
    return;
  }
  mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const [k, cases] of byKind) {
    const file: FixtureFile = { kind: k, daemon: version, cases };
    writeFileSync(join(FIXTURE_DIR, `${k}.json`), `${JSON.stringify(file, null, 1)}\n`);
  }
  const total = [...byKind.values()].flat();
  process.stderr.write(`${total.length} cases, ${total.filter((r) => r.excluded).length} excluded, written to ${FIXTURE_DIR} in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
}

await main();
