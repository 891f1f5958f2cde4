/**
 * Real NBD servers for a scenario run (`qemu-nbd`, or a second `qemu-storage-daemon`): started as the daemon's user in the scratch
 * directory (a setup step, or a step between commands), each known by the address it listens at,
 * stopped by a `qemu-nbd-stop` step or when the run ends (SIGTERM to its process group, then
 * SIGKILL).
 */
import { qemuEnvironment } from './qemu-environment.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nbdAddressKey } from '../drivers/nbd-server.js';
import { stopAddress } from '../scenario/qemu-nbd-args.js';
import { NBD_SERVER_PROGRAMS, type NbdServerProgram } from '../scenario/storage-steps.js';
import type { Identity } from './identity.js';

export class NbdServerError extends Error {
  override readonly name = 'NbdServerError';
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Sleeps without the event loop (setup steps are synchronous). */
const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether the process is gone (or a zombie nobody reaped yet). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Whether something listens on the TCP port (from /proc/net/tcp and tcp6: state 0A). */
function listening(port: string): boolean {
  const hex = Number(port).toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) => {
    try {
      return readFileSync(table, 'utf8').split('\n').some((line) => {
        const fields = line.trim().split(/\s+/);
        return fields[1]?.endsWith(`:${hex}`) && fields[3] === '0A';
      });
    } catch {
      return false;
    }
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

export interface RealNbdServers {
  start(program: NbdServerProgram, args: readonly string[], waitFor: string | undefined): void;
  /** Stops the server listening at a socket path (or `HOST:PORT`, `:PORT`). */
  stop(where: string): void;
  stopAll(): void;
}

export function realNbdServers(identity: Identity, workdir: string, tool: (program: string) => string = (program) => program): RealNbdServers {
  const running = new Map<string, ChildProcess>();
  const stopChild = (child: ChildProcess): void => {
    signalGroup(child, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (!gone(child.pid!) && Date.now() < deadline) pause(10);
    if (!gone(child.pid!)) signalGroup(child, 'SIGKILL');
  };
  return {
    start(program, args, waitFor) {
      const server = NBD_SERVER_PROGRAMS[program](args);
      if (typeof server === 'string') throw new NbdServerError(server);
      const key = nbdAddressKey(server.address);
      const old = running.get(key);
      if (old) stopChild(old);
      const [command, ...rest] = identity.wrap([tool(program), ...args]);
      const child = spawn(command!, rest, { cwd: workdir, env: qemuEnvironment(tool(program)), detached: true, stdio: 'ignore' });
      child.on('error', () => undefined);
      if (child.pid === undefined) throw new NbdServerError(`${program} could not be started (is it installed?)`);
      running.set(key, child);
      const socket = waitFor ?? (server.address.type === 'unix' ? server.address.path : undefined);
      const ready = (): boolean =>
        socket !== undefined ? existsSync(resolve(workdir, socket)) : listening((server.address as { port: string }).port);
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!ready()) {
        if (gone(child.pid)) throw new NbdServerError(`${program} ${args.join(' ')} exited early`);
        if (Date.now() > deadline) throw new NbdServerError(`${program} ${args.join(' ')} did not start listening`);
        pause(10);
      }
    },
    stop(where) {
      const key = nbdAddressKey(stopAddress(where));
      const child = running.get(key);
      if (!child) throw new NbdServerError(`qemu-nbd-stop: no NBD server at '${where}'`);
      stopChild(child);
      running.delete(key);
    },
    stopAll() {
      for (const child of running.values()) stopChild(child);
      running.clear();
    },
  };
}
