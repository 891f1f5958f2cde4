/**
 * The steps between commands that change what lies under the graph — a file's mode (`chmod`), its
 * immutable flag (`chattr`), an NBD server started (`qemu-nbd`) or stopped (`qemu-nbd-stop`) — done
 * on virtual storage. The same steps done for real are in src/diff/real-setup.ts.
 */
import type { Storage } from '../storage/storage.js';
import type { VirtualStorage } from '../storage/virtual-storage.js';
import { ScenarioError } from './load.js';
import { parseQemuNbd, stopAddress } from './qemu-nbd-args.js';
import { parseQsdServer } from './qsd-server-args.js';
import type { StorageStep } from './schema.js';

/** chmod as the daemon's unprivileged user would feel it: owner bits decide. */
export function chmodVirtual(storage: VirtualStorage, file: string, mode: string): void {
  const bits = parseInt(mode, 8);
  storage.update(file, { readable: (bits & 0o400) !== 0, writable: (bits & 0o200) !== 0 });
}

/** The step's kind, as a trace records it. */
export const storageStepKind = (step: StorageStep): string => Object.keys(step).find((key) => key !== 'note' && key !== 'observe' && key !== 'timeout')!;

/** The step's argument, as a trace records it. */
export const storageStepArgument = (step: StorageStep): unknown => (step as Record<string, unknown>)[storageStepKind(step)];

const isVirtual = (storage: Storage): storage is VirtualStorage => 'files' in storage && 'update' in storage && 'nbdServers' in storage;

/** The NBD servers a step can start, by the program's name: each read off its command line. */
export const NBD_SERVER_PROGRAMS = { 'qemu-nbd': parseQemuNbd, 'qemu-storage-daemon': parseQsdServer } as const;

export type NbdServerProgram = keyof typeof NBD_SERVER_PROGRAMS;

/** Starts the server a qemu-nbd (or second daemon's) command line describes, on the virtual storage. */
export function startVirtualNbd(storage: VirtualStorage, args: readonly string[], where: string, program: NbdServerProgram = 'qemu-nbd'): void {
  const server = NBD_SERVER_PROGRAMS[program](args);
  if (typeof server === 'string') throw new ScenarioError(`${where}: ${server}`);
  if (!storage.files.has(server.image)) throw new ScenarioError(`${where}: ${program}: no such file '${server.image}'`);
  storage.startNbdServer(server);
}

/** Does the step on `storage`, which must be virtual: real files and servers do not change under the simulator. */
export function changeVirtualStorage(storage: Storage, step: StorageStep, where: string): void {
  const kind = storageStepKind(step);
  if (!isVirtual(storage)) throw new ScenarioError(`${where}: ${kind} needs virtual storage (--storage virtual)`);
  const need = (file: string): void => {
    if (!storage.files.has(file)) throw new ScenarioError(`${where}: ${kind}: no such file '${file}'`);
  };
  if ('chmod' in step) {
    need(step.chmod[0]);
    chmodVirtual(storage, step.chmod[0], step.chmod[1]);
  } else if ('chattr' in step) {
    need(step.chattr[0]);
    storage.update(step.chattr[0], { immutable: step.chattr[1] === '+i' });
  } else if ('qemu-nbd' in step) {
    startVirtualNbd(storage, step['qemu-nbd'].args, where);
  } else if ('qemu-storage-daemon' in step) {
    startVirtualNbd(storage, step['qemu-storage-daemon'].args, where, 'qemu-storage-daemon');
  } else if (!storage.stopNbdServer(stopAddress(step['qemu-nbd-stop']))) {
    throw new ScenarioError(`${where}: qemu-nbd-stop: no NBD server at '${step['qemu-nbd-stop']}'`);
  }
}
