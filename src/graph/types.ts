/**
 * The immutable snapshot of a block graph: nodes (BlockDriverState), edges (BdrvChild), root users
 * (BlockBackends of exports, devices and jobs), exports and the NBD server. Only transactions
 * (src/core/tx.ts) make new snapshots; nothing mutates one.
 */
import type { NodeHeader, Qcow2Facts } from './node-header.js';
import type { JobStatus } from '../../machines/job.chart.js';
import type { Model, NodeMachineState } from '../../machines/node.types.js';
import type { PermSet } from '../perms/perm.js';
import type { Shards } from './shards.js';
import type { BitmapRef, DirtyBitmap, StoredBitmap } from './bitmap-types.js';
import type { Chardev, Chardevs, InternalSnapshot, RemoteExport, VvfatEntry } from './state-types.js';
import type { GHashTable } from '../util/ghash.js';
import type { DriverName } from './driver-name.js';

export type { BitmapRef, DirtyBitmap, StoredBitmap, Chardev, Chardevs, InternalSnapshot, RemoteExport, VvfatEntry, DriverName, JobStatus, Model };
export type NodeName = string;
export type EdgeId = number;
export type BackendId = number;
export type FdMode = 'O_RDONLY' | 'O_RDWR';

/** Who holds an edge: a node (child_of_bds), a BlockBackend (child_root) or a block job (child_job). */
export type ParentRef =
  | { readonly kind: 'node'; readonly node: NodeName }
  | { readonly kind: 'backend'; readonly backend: BackendId }
  | { readonly kind: 'job'; readonly job: string; readonly jobType: string };

export interface Edge {
  readonly id: EdgeId;
  readonly parent: ParentRef;
  readonly child: NodeName;
  /** The child name: `file`, `backing`, `root`, `main node`, … */
  readonly name: string;
  /** BdrvChildRole bits. */
  readonly role: number;
  readonly perm: PermSet;
  readonly shared: PermSet;
}

/** A file node's descriptor and the lock bytes it holds (file-posix). */
export interface OpenFile {
  readonly path: string;
  /** Names of one file share this (their lock bytes meet). */
  readonly identity: string;
  readonly mode: FdMode;
  /**
   * The mode the driver believes the descriptor has (s->open_flags), where that is not `mode`:
   * QEMU 7.2's raw_reopen_commit() takes open flags that were never set (O_RDONLY) whenever a
   * reopen kept the descriptor, and the next permission check compares with those.
   */
  readonly flags?: FdMode;
  /** Cumulative perm and shared last committed: the lock bytes when locking is on. */
  readonly perm: PermSet;
  readonly shared: PermSet;
  readonly locking: boolean;
}

export interface BlockNode {
  readonly name: NodeName;
  /** Named by `#block…` rather than by the user. */
  readonly generated: boolean;
  /** Order in which node names were assigned (graph_bdrv_states). */
  readonly seq: number;
  readonly driver: DriverName;
  /** The options as given (normalized), for reopen and queries. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly forceShare: boolean;
  /** Created by blockdev-add at the top level (the monitor holds a reference). */
  readonly monitorOwned: boolean;
  /** The node this one was opened inline from (bs->inherits_from). */
  readonly inheritsFrom: NodeName | null;
  /** Inserted by a block job without a user-given name. */
  readonly implicit: boolean;
  readonly machine: NodeMachineState;
  /** QMP's `ro`: derived from the machine's state. */
  readonly readOnly: boolean;
  readonly file: OpenFile | null;
  /** An NBD client node's connection to its server. */
  readonly remote?: RemoteExport;
  /** The filename QMP shows for the node. */
  readonly filename: string;
  /** The backing its header names, as opened (bs->auto_backing_file; '' none); another one makes the filename json:{…}. */
  readonly autoBackingFile: string;
  readonly size: number;
  /** Edges to this node's parents, newest first (bs->parents). */
  readonly parents: readonly EdgeId[];
  /** Edges to this node's children, newest first (bs->children). */
  readonly children: readonly EdgeId[];
  /** Longest path down to a leaf: parents always stand higher than their children. */
  readonly height: number;
  /** BDRV_O_INACTIVE: another process owns the image for now (`active: false`, blockdev-set-active). */
  readonly inactive: boolean;
  /** The discard requests a file node served and their bytes (blockstats' driver-specific counters); absent: none. */
  readonly discarded?: { readonly requests: number; readonly bytes: number };
  /** The end of the furthest write to it (blockstats' `wr_highest_offset`): metadata its parents wrote; absent: none. */
  readonly wrHighestOffset?: number;
  /** What its format driver read from the image header, for queries (none for other drivers). */
  readonly header?: NodeHeader;
  /** A vvfat node's directory as its disk shows it, and the file a read left open (s->current_fd). */
  readonly vvfat?: { readonly entries: readonly VvfatEntry[]; readonly openFile?: string };
  /** The iothread whose AioContext it runs in (x-blockdev-set-iothread); absent: the main loop's. */
  readonly iothread?: string;
  /** block-set-write-threshold: the offset whose write raises BLOCK_WRITE_THRESHOLD (0: none). */
  readonly writeThreshold?: number;
  /** Its named dirty bitmaps (bs->dirty_bitmaps), newest first; absent: none. */
  readonly bitmaps?: readonly DirtyBitmap[];
  /** A quorum's next_child_index once x-blockdev-change has changed its children (before: its number of children). */
  readonly nextChildIndex?: number;
}

export type BackendOwner =
  | { readonly kind: 'export'; readonly id: string }
  | { readonly kind: 'device'; readonly id: string }
  | { readonly kind: 'job'; readonly id: string }
  | { readonly kind: 'internal'; readonly purpose: string };

/** A BlockBackend: a root user with the perm and shared it asked for. */
export interface Backend {
  readonly id: BackendId;
  /** Backend name (empty for exports and job backends). */
  readonly name: string;
  readonly owner: BackendOwner;
  readonly perm: PermSet;
  readonly shared: PermSet;
  readonly edge: EdgeId | null;
  /**
   * blk->disable_perm: its node is inactive, so its edge holds no perm and shares all; `perm` and
   * `shared` are what it takes once the node is activated (block-backend.c: blk_root_activate()).
   */
  readonly disablePerm?: true;
  /** blk->force_allow_inactivate: it lets its node be inactivated whatever it holds (allow-inactive exports). */
  readonly forceAllowInactivate?: true;
}

export interface BlockExport {
  readonly id: string;
  readonly type: 'nbd' | 'vhost-user-blk' | 'fuse';
  readonly nodeName: NodeName;
  /** A fuse export's mountpoint. */
  readonly mountpoint?: string;
  /** NBD export name (defaults to the node name). */
  readonly name: string;
  readonly writable: boolean;
  readonly backend: BackendId;
  readonly seq: number;
  /** The dirty bitmaps it exports (its `bitmaps`): busy while it exists. */
  readonly bitmaps?: readonly BitmapRef[];
}

export type NbdServer = { readonly addr: unknown };

/** A QOM object made by object-add (throttle groups are what block nodes use). */
export interface UserObject {
  readonly id: string;
  readonly qomType: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export type JobType = 'commit' | 'stream' | 'mirror' | 'backup' | 'create' | 'amend';

/** What a job does to the graph, and what it must undo or finish. */
export type JobPlan =
  | {
      /** block-commit below the active layer (block/commit.c). */
      readonly kind: 'commit';
      readonly top: NodeName;
      readonly base: NodeName;
      readonly baseWasReadOnly: boolean;
    }
  | {
      /** block-commit of the active layer, and blockdev-mirror / drive-mirror (block/mirror.c). */
      readonly kind: 'mirror';
      readonly source: NodeName;
      readonly target: NodeName;
      readonly isCommit: boolean;
      readonly baseWasReadOnly: boolean;
      readonly replaces: NodeName | null;
      /** sync=top: it mirrors what the source's top image allocates (mirror_dirty_init() above the backing). */
      readonly onlyTop?: true;
      /** `on-source-error` (an active commit's `on-error`) other than `report` or `enospc`. */
      readonly onSourceError?: 'stop' | 'ignore';
      /** `granularity` and `buf-size` where given other than 0 (mirror_start_job()'s defaults else). */
      readonly copy?: { readonly granularity?: number; readonly bufSize?: number };
    }
  | {
      /** block-stream (block/stream.c). */
      readonly kind: 'stream';
      readonly device: NodeName;
      readonly base: NodeName | null;
      /** The node directly above `base` (s->above_base): stream_prepare() backs `device` by what is below it then. */
      readonly aboveBase: NodeName;
      readonly deviceWasReadOnly: boolean;
    }
  | {
      /** blockdev-backup / drive-backup (block/backup.c). */
      readonly kind: 'backup';
      readonly source: NodeName;
      readonly target: NodeName;
      /** The source's bitmap (busy while the job runs), the bitmap-mode, and `sync`: it copies only what the bitmap marks. */
      readonly bitmap?: { readonly name: string; readonly mode: 'on-success' | 'never' | 'always'; readonly sync?: true };
      /** sync=none: it copies only what the guest is about to overwrite, until cancelled (backup_run()). */
      readonly untilCancelled?: true;
      /** sync=top: it copies only the clusters the source's top image allocates (backup_run()). */
      readonly onlyTop?: true;
      /** `on-source-error` other than `report` or `enospc` (which is `report` for a read's EIO). */
      readonly onSourceError?: 'stop' | 'ignore';
    }
  | {
      /** blockdev-create and x-blockdev-amend (block/create.c, block/amend.c): no block job, no edges. */
      readonly kind: 'create' | 'amend';
      /** The node an amend job holds a reference to (bdrv_ref() until the job is freed). */
      readonly holds: NodeName | null;
    };

export interface Job {
  readonly id: string;
  readonly type: JobType;
  readonly status: JobStatus;
  readonly seq: number;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** Bytes per second; 0 = unlimited. */
  readonly speed: number;
  /** Work in bytes (the image's virtual size) and how much is done: whole bytes, as QEMU counts. */
  readonly len: number;
  readonly offset: number;
  /** What a backup's first block-copy task copied as it started, in bytes (absent: nothing). */
  readonly copied?: number;
  /** Progress earned on the clock but short of a whole byte, in [0, 1) (absent: none). */
  readonly carry?: number;
  /** Pauses asked by the user (job-pause) that no resume undid yet. */
  readonly userPaused: boolean;
  /** A mirror's copy mode when not `background` (blockdev-mirror's copy-mode, block-job-change). */
  readonly copyMode?: 'write-blocking';
  /** block-job-cancel / job-cancel was asked (force, or before ready). */
  readonly cancelled: boolean;
  /** A mirror asked to finish (block-job-complete) or cancelled in ready state without force. */
  readonly completing: 'pivot' | 'no-pivot' | null;
  readonly plan: JobPlan;
  /** The node named as `device` (the job's BlockBackend-less main node). */
  readonly device: NodeName;
  /** The filter the job inserted, if it is still there. */
  readonly filter: NodeName | null;
  /** The job's own edges (block_job_add_bdrv), oldest first. */
  readonly edges: readonly EdgeId[];
  /** Internal BlockBackends the job holds. */
  readonly backends: readonly BackendId[];
  /** Why the job failed (job->err), once it has. */
  readonly error?: string;
  /** An I/O error stopped it (`on-source-error: stop`): its iostatus is `failed` until it is resumed. */
  readonly ioFailed?: true;
  /** Its JobTxn, shared with the other jobs of a `completion-mode: grouped` transaction. */
  readonly txn?: string;
}

/**
 * An image file as QEMU's writes left it: the file's length, and where a format node wrote its
 * header, the size that header gives (absent: the file's, as for raw) and a qcow2's facts.
 */
export interface WrittenImage {
  readonly fileSize: number;
  readonly virtualSize?: number;
  readonly qcow2?: Qcow2Facts;
}

export interface Graph {
  readonly model: Model;
  readonly nodes: Shards<BlockNode>;
  readonly edges: Shards<Edge>;
  readonly backends: Shards<Backend>;
  readonly exports: Shards<BlockExport>;
  /** NBD export names in use, to the export id (names are unique per server). */
  readonly exportNames: Shards<string>;
  readonly nbdServer: NbdServer | null;
  readonly objects: Readonly<Record<string, UserObject>>;
  /** File nodes by the identity of the file they hold open (for lock conflicts). */
  readonly fileUsers: Shards<readonly NodeName[]>;
  readonly jobs: Readonly<Record<string, Job>>;
  /** The persistent bitmaps qcow2 images hold, by the identity of the image file; absent: none. */
  readonly storedBitmaps?: Readonly<Record<string, readonly StoredBitmap[]>>;
  /**
   * What QEMU wrote into image files that a later open reads, by the identity of the file: their
   * length and header (size; a qcow2's clusters and internal snapshots); absent: nothing yet.
   */
  readonly writtenImages?: Readonly<Record<string, WrittenImage>>;
  /** Character devices (none when absent). */
  readonly chardevs?: Chardevs;
  /** The order the /objects container keeps the user objects in (its GHashTable); empty when absent. */
  readonly objectOrder?: GHashTable;
  /** The simulated clock, in seconds: jobs progress with it. */
  readonly clock: number;
  readonly counters: {
    readonly edge: number;
    readonly backend: number;
    readonly seq: number;
    readonly generatedName: number;
  };
}
