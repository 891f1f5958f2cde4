/** Records the snapshot keeps beside the graph's nodes and edges: NBD connections, internal snapshots, character devices. */
import type { GHashTable } from '../util/ghash.js';

/** One internal snapshot of a qcow2 image (QEMUSnapshotInfo): its id and name. */
export interface InternalSnapshot {
  readonly id: string;
  readonly name: string;
  /** The simulated clock when it was taken (its date and VM clock). */
  readonly clock: number;
}

/** One entry of a vvfat node's directory, and where on its disk the entry's first cluster starts (src/drivers/vvfat-map.ts). */
export interface VvfatEntry {
  readonly path: string;
  readonly directory: boolean;
  readonly firstByte: number;
}

/** A character device (chardev/char.c's Chardev): chardev-add's, or a QMP monitor's from the command line. */
export interface Chardev {
  readonly id: string;
  /** Its ChardevBackendKind. */
  readonly kind: string;
  /** chr->filename, as query-chardev shows it. */
  readonly filename: string;
  /** A monitor is its frontend: busy for chardev-remove, `frontend-open` in query-chardev. */
  readonly monitor: boolean;
  /** A ringbuf's (or memory's) size and the bytes it holds, oldest first. */
  readonly ringbuf?: { readonly size: bigint; readonly bytes: readonly number[] };
  /** The files it holds open (a file chardev's `out`, O_WRONLY, and `in`, O_RDONLY). */
  readonly files?: readonly { readonly path: string; readonly mode: 'O_WRONLY' | 'O_RDONLY' }[];
}

/** The /chardevs container: its chardevs, and the order its GHashTable keeps them in. */
export interface Chardevs {
  readonly byId: Readonly<Record<string, Chardev>>;
  readonly order: GHashTable;
}

/**
 * An NBD client node's connection (block/nbd.c: BDRVNBDState): the server it reached and what the
 * negotiation told it (NBDExportInfo). Re-negotiated only where the model says so.
 */
export interface RemoteExport {
  /** Where it connected (nbdAddressKey() of its `server`). */
  readonly server: string;
  readonly exportName: string;
  /** Which start of that server answered. */
  readonly serverId: string;
  /** NBD_FLAG_READ_ONLY, as last negotiated. */
  readonly serverReadOnly: boolean;
  /** The server's client limit (`qemu-nbd -e`): a client beyond it waits unanswered. */
  readonly maxClients: number;
  /** The bytes at the export's start that share one allocation status, as the server reports them; absent: all. */
  readonly firstRun?: number;
  /** The image header the export's data begins with, as a format node above reads it. */
  readonly header?: {
    readonly format: string;
    readonly virtualSize: number;
    readonly backingFile?: string;
    readonly backingFormat?: string;
  };
}
