/**
 * Storage made of declared files: what `qemu-img create` and `chmod` would have left on disk,
 * described as data. A virtual file answers exactly as a real one would.
 */
import type { FdMode } from '../graph/types.js';
import { nbdAddressKey, noServerError, type NbdAddress, type NbdAnswer } from '../drivers/nbd-server.js';
import { msg } from '../messages/messages.js';
import { Perm } from '../perms/perm.js';
import { ERRNO_TEXT, type FileFacts, type ImageFormat, type LockHolder, type Storage } from './storage.js';
import { exportFirstRun } from './status-run.js';
import { inspectFile, refusal, type VirtualFile } from './virtual-file.js';

export type { VirtualFile };
import { directoriesOf } from './virtual-directories.js';

/** An NBD server outside the graph (`qemu-nbd`, or a second daemon), serving one image file of the storage. */
export interface VirtualNbdServer {
  /** Where clients connect. */
  readonly address: NbdAddress;
  /** The image file it serves. */
  readonly image: string;
  /** `-f`: how it reads the image; probed from the file when not given. */
  readonly format?: ImageFormat;
  /** `-x`: the export's name ('' by default). */
  readonly exportName: string;
  /** `-r`: NBD_FLAG_READ_ONLY. */
  readonly readOnly: boolean;
  /**
   * The served node is opened read-only (its locks then take no write): qemu-nbd's `-r`; for a
   * second daemon its node's own `read-only`, whatever the export allows.
   */
  readonly nodeReadOnly?: boolean;
  /** `-t`: it stays after its last client leaves. */
  readonly persistent: boolean;
  /** `-e`: clients served at once (1 by default). */
  readonly maxClients: number;
  /** `-A`, `-B NAME`: meta contexts beyond base:allocation. */
  readonly contexts: readonly string[];
}

export interface VirtualStorage extends Storage {
  readonly files: ReadonlyMap<string, VirtualFile>;
  /** The NBD servers listening, by nbdAddressKey(), each with the id of its start. */
  readonly nbdServers: ReadonlyMap<string, VirtualNbdServer & { readonly id: string }>;
  /** The id of the server that last stopped at each address (the next one there gets the other id). */
  readonly stoppedNbdServers: ReadonlyMap<string, string>;
  /** Starts an NBD server (in place of one listening at the same address). */
  startNbdServer(server: VirtualNbdServer): void;
  /** Stops the NBD server at that address; false when none listens there. */
  stopNbdServer(address: NbdAddress): boolean;
  /** Declares or replaces a file. */
  put(path: string, file: VirtualFile): void;
  /** Changes some facts of a file (chmod, a read-only mount, …). */
  update(path: string, change: Partial<VirtualFile>): void;
  remove(path: string): void;
  /** Declares a directory (`mkdir`); a file's own directories need none. */
  mkdir(path: string): void;
}

/** The size a server's export has: the image read in its format (a qcow2 read as raw is its file). */
function exportSize(server: VirtualNbdServer, facts: FileFacts | { error: string }): number {
  if ('error' in facts) return 0;
  return (server.format ?? facts.header.format) === facts.header.format ? facts.header.virtualSize : facts.size;
}

type ServerTable = Map<string, VirtualNbdServer & { readonly id: string }>;

const { CONSISTENT_READ: C, WRITE: W, WRITE_UNCHANGED: U, RESIZE: R } = Perm;

/**
 * The lock bytes a qemu-nbd holds on the file it serves: its export's BlockBackend takes C (and W
 * when writable) and shares all but resize; a qcow2 between turns that into C W R taken (C when
 * read-only) and C U shared on the file, as qcow2's child perms do.
 */
function serverLocks(server: VirtualNbdServer, facts: FileFacts | { error: string }): LockHolder {
  const format = server.format ?? ('error' in facts ? 'raw' : facts.header.format);
  if (format === 'qcow2') return { perm: (server.nodeReadOnly ?? server.readOnly) ? C : C | W | R, shared: C | U };
  return { perm: server.readOnly ? C : C | W, shared: C | W | U };
}

/** The NBD side of a virtual storage: its servers, started and stopped, and what a client meets. */
function nbdServersOn(
  table: ReadonlyMap<string, VirtualFile>,
  servers: ServerTable,
  stopped: Map<string, string>,
): Pick<VirtualStorage, 'startNbdServer' | 'stopNbdServer' | 'nbdServerRunning' | 'nbdConnect' | 'externalLocks' | 'nbdLastClientGone'> {
  const stop = (address: NbdAddress): boolean => {
    const key = nbdAddressKey(address);
    const server = servers.get(key);
    if (!server) return false;
    stopped.set(key, server.id);
    return servers.delete(key);
  };
  return {
    // a server started where another ran is another one: its id differs from the last one's there
    // (two ids an address, so that a graph's states stay finitely many)
    startNbdServer(server) {
      const key = nbdAddressKey(server.address);
      const before = servers.get(key)?.id ?? stopped.get(key);
      if (servers.has(key)) stopped.set(key, before!);
      servers.set(key, { ...server, id: `${key}#${before?.endsWith('#1') ? 2 : 1}` });
    },
    stopNbdServer: stop,
    externalLocks(identity) {
      return [...servers.values()]
        .filter((server) => `virtual:${server.image}` === identity)
        .map((server) => serverLocks(server, inspectFile(table.get(server.image), server.image)));
    },
    nbdLastClientGone(serverId) {
      const server = [...servers.values()].find((s) => s.id === serverId);
      if (server && !server.persistent) stop(server.address);
    },
    nbdServerRunning(serverId) {
      return [...servers.values()].some((server) => server.id === serverId);
    },
    nbdConnect(address, exportName): NbdAnswer {
      // a TCP server bound to every address answers on any of them
      const server = servers.get(nbdAddressKey(address)) ??
        (address.type === 'inet' ? servers.get(`inet:0.0.0.0:${address.port}`) ?? servers.get(`inet:::${address.port}`) : undefined);
      if (!server) return { error: noServerError(address, ERRNO_TEXT) };
      if (server.exportName !== exportName) return { error: msg.nbdExportNotAvailable() };
      const facts = inspectFile(table.get(server.image), server.image);
      // served in its own format, a qcow2 image shows its guest data, no header
      const header = 'error' in facts || (server.format ?? facts.header.format) !== 'raw' ? undefined : facts.header;
      const size = exportSize(server, facts);
      return {
        size,
        ...('error' in facts ? {} : { firstRun: exportFirstRun(server.format ?? facts.header.format, facts, size) }),
        ...(header ? { header } : {}),
        readOnly: server.readOnly,
        contexts: server.contexts,
        serverId: server.id,
        persistent: server.persistent,
        maxClients: server.maxClients,
      };
    },
  };
}

export function createVirtualStorage(
  files: Readonly<Record<string, VirtualFile>> = {},
  nbdServers: Iterable<VirtualNbdServer & { readonly id: string }> = [],
  stoppedNbdServers: Iterable<readonly [string, string]> = [],
): VirtualStorage {
  const table = new Map<string, VirtualFile>(Object.entries(files));
  const servers = new Map([...nbdServers].map((server) => [nbdAddressKey(server.address), server] as const));
  const stopped = new Map(stoppedNbdServers);
  return {
    files: table,
    nbdServers: servers,
    stoppedNbdServers: stopped,
    ...nbdServersOn(table, servers, stopped),
    ...directoriesOf(table),
    put(path, file) {
      table.set(path, file);
    },
    update(path, change) {
      const file = table.get(path);
      if (!file) throw new Error(`no virtual file '${path}'`);
      table.set(path, { ...file, ...change });
    },
    remove(path) {
      table.delete(path);
    },
    create(path, header, data) {
      table.set(path, {
        format: header.format,
        size: header.virtualSize,
        ...(data ? { data } : {}),
        ...(header.backingFile !== undefined ? { backingFile: header.backingFile } : {}),
        ...(header.backingFormat !== undefined ? { backingFormat: header.backingFormat } : {}),
        ...(header.qcow2 ? { qcow2: header.qcow2 } : {}),
      });
    },
    // the daemons of the corpus run as `nobody`, who has no fusermount: every mount fails
    fuseMountError: () => msg.fuseMountFailed(),
    changeBackingFile(path, backingFile, backingFormat) {
      const file = table.get(path);
      if (file) table.set(path, { ...file, backingFile, backingFormat });
    },
    openError(path: string, mode: FdMode) {
      const file = table.get(path);
      if (!file) return ERRNO_TEXT.ENOENT;
      if (mode === 'O_RDONLY') return refusal(file.readable);
      return refusal(file.readable) ?? (file.immutable ? ERRNO_TEXT.EPERM : refusal(file.writable));
    },
    inspect(path: string): FileFacts | { error: string } {
      return inspectFile(table.get(path), path);
    },
  };
}
