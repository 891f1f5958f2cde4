/**
 * qemu-storage-daemon on a QMP unix socket in a scratch directory, started as a user and stopped
 * by its own pid: SIGTERM, then SIGKILL after 5 s. Its output is collected from a pipe (so it
 * never shows up among the files it holds open).
 */
import { qemuEnvironment } from './qemu-environment.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity } from './identity.js';
import { QmpClient, QmpTimeout } from './qmp-client.js';
import type { Json, JsonObject } from './trace.js';
import { whileRunning } from './interrupt.js';

export const DAEMON_BINARY = 'qemu-storage-daemon';

export interface Daemon {
  readonly pid: number;
  readonly qmp: QmpClient;
  readonly greeting: JsonObject;
  /** Output since the last call. */
  takeOutput(): string;
  /** Uid, Gid, CapEff and exe, from /proc. */
  identity(): Json;
  /** Stops it; its exit code, or the signal that ended it. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export class DaemonError extends Error {
  override readonly name = 'DaemonError';
}

/** How the daemon ended: its exit code, or the signal that ended it. */
type Exit = { code: number | null; signal: NodeJS.Signals | null };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function exitWithin(child: ChildProcess, ms: number): Promise<Exit | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const result = await Promise.race([exited(child), timeout]);
  clearTimeout(timer);
  return result;
}

export interface DaemonOptions {
  readonly workdir: string;
  readonly identity: Identity;
  /** Every QMP read's limit. */
  readonly timeoutMs: number;
  readonly binary?: string;
}

/** The daemon's process, its output collected from a pipe. */
interface DaemonProcess {
  readonly child: ChildProcess;
  /** Output since the last takeOutput(), left in place. */
  output(): string;
  takeOutput(): string;
  /** Why the process could not be started, once node says so. */
  spawnError(): Error | null;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<Exit>;
}

function spawnDaemon(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): DaemonProcess {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd, env });
  let output = '';
  let spawnError: Error | null = null;
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.once('error', (error) => (spawnError = error));
  child.once('exit', whileRunning(() => child.kill('SIGKILL')));
  return {
    child,
    output: () => output,
    takeOutput: () => {
      const text = output;
      output = '';
      return text;
    },
    spawnError: () => spawnError,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<Exit> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const done = await exitWithin(child, 5000);
    if (done) return done;
    child.kill('SIGKILL');
  }
  return (await exitWithin(child, 5000)) ?? { code: null, signal: null };
}

/** A QMP connection as soon as the daemon's socket takes one; fails if the daemon fails first. */
async function connectWhenListening(daemon: DaemonProcess, argv: readonly string[], socketPath: string, timeoutMs: number): Promise<QmpClient> {
  const deadline = Date.now() + timeoutMs;
  const { child } = daemon;
  for (;;) {
    const spawnError = daemon.spawnError();
    if (spawnError) throw new DaemonError(`cannot start ${argv.join(' ')}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DaemonError(`the daemon exited early (${child.exitCode ?? child.signalCode}): ${daemon.output().trim().slice(-2000)}`);
    }
    const qmp = existsSync(socketPath) ? await QmpClient.connect(socketPath, timeoutMs).catch(() => null) : null;
    if (qmp) return qmp;
    if (Date.now() > deadline) throw new QmpTimeout('the daemon\'s QMP socket did not appear');
    await sleep(10);
  }
}

/** The greeting, then capability negotiation. */
async function negotiate(qmp: QmpClient): Promise<JsonObject> {
  const greeting = await qmp.greeting();
  const { reply } = await qmp.execute('qmp_capabilities');
  if (!('return' in reply)) throw new DaemonError(`qmp_capabilities failed: ${JSON.stringify(reply)}`);
  return greeting;
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const socketPath = join(options.workdir, 'qmp.sock');
  const argv = options.identity.wrap([
    options.binary ?? DAEMON_BINARY,
    '--chardev', `socket,path=${socketPath},server=on,wait=off,id=qmp0`,
    '--monitor', 'chardev=qmp0',
  ]);
  const daemon = spawnDaemon(argv, options.workdir, qemuEnvironment(options.binary));
  let qmp: QmpClient | null = null;
  try {
    qmp = await connectWhenListening(daemon, argv, socketPath, options.timeoutMs);
    const greeting = await negotiate(qmp);
    const client = qmp;
    const pid = daemon.child.pid!;
    return {
      pid,
      qmp: client,
      greeting,
      takeOutput: daemon.takeOutput,
      identity: () => daemonIdentity(pid),
      stop: async () => {
        client.close();
        return daemon.stop();
      },
    };
  } catch (error) {
    qmp?.close();
    await daemon.stop();
    throw error;
  }
}

function daemonIdentity(pid: number): Json {
  const info: JsonObject = {};
  try {
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const [key, value] = line.split(':');
      if (key === 'Uid' || key === 'Gid') info[key] = value!.trim().split(/\s+/)[0]!;
      if (key === 'CapEff') info[key] = value!.trim();
    }
    info['exe'] = readlinkSync(`/proc/${pid}/exe`);
  } catch (error) {
    info['error'] = (error as Error).message;
  }
  return info;
}
