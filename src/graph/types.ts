/**
 * The immutable snapshot of a block graph: nodes (BlockDriverState), edges (BdrvChild), root users
 * (BlockBackends of exports, devices and jobs), exports and the NBD server. Only transactions
 * (src/core/transaction.ts) make new snapshots; nothing mutates one.
 */
import type { Model } from '../../machines/node.machine.js';
import type { PermSet } from '../perms/perm.js';
import type { NodeMachineState } from '../core/node-stepper.js';
import type { Shards } from './shards.js';

export type { Model };
export type NodeName = string;
export type EdgeId = number;
export type BackendId = number;
export type DriverName = 'file' | 'null-co' | 'raw' | 'qcow2' | 'throttle' | 'copy-on-read';
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
  readonly readOnlyOption: boolean;
  readonly autoReadOnly: boolean;
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
  /** The filename QMP shows for the node. */
  readonly filename: string;
  readonly size: number;
  /** Edges to this node's parents, newest first (bs->parents). */
  readonly parents: readonly EdgeId[];
  /** Edges to this node's children, newest first (bs->children). */
  readonly children: readonly EdgeId[];
  /** Longest path down to a leaf: parents always stand higher than their children. */
  readonly height: number;
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
}

export interface BlockExport {
  readonly id: string;
  readonly type: 'nbd';
  readonly nodeName: NodeName;
  /** NBD export name (defaults to the node name). */
  readonly name: string;
  readonly writable: boolean;
  readonly backend: BackendId;
  readonly seq: number;
}

export interface NbdServer {
  readonly addr: unknown;
}

export interface ThrottleGroup {
  readonly id: string;
  readonly limits: Readonly<Record<string, unknown>>;
}

export interface Graph {
  readonly model: Model;
  readonly nodes: Shards<BlockNode>;
  readonly edges: Shards<Edge>;
  readonly backends: Shards<Backend>;
  readonly exports: Shards<BlockExport>;
  readonly nbdServer: NbdServer | null;
  readonly throttleGroups: Readonly<Record<string, ThrottleGroup>>;
  /** File nodes by the identity of the file they hold open (for lock conflicts). */
  readonly fileUsers: Shards<readonly NodeName[]>;
  readonly counters: {
    readonly edge: number;
    readonly backend: number;
    readonly seq: number;
    readonly generatedName: number;
  };
}
