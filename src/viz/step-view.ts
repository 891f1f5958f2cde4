/**
 * One step of a scenario as the viewer and the DOT renderer see it: the block graph after the
 * step, what changed since the step before, and what a refusal blames. Plain JSON, type-only, so
 * the page can share it.
 */

/** A vertex of the drawing: `node:NAME`, `user:BACKEND-ID` or `job:ID`. */
export type VertexId = string;

export interface NodeView {
  readonly name: string;
  readonly driver: string;
  /** Named by `#block…`, or inserted by a job without a user-given name. */
  readonly generated: boolean;
  /** QMP's `ro`. */
  readonly ro: boolean;
  /** The state of the node's read-only machine. */
  readonly state: string;
  /** The open mode of a file node's descriptor; null for nodes without one. */
  readonly openMode: 'O_RDONLY' | 'O_RDWR' | null;
  readonly filename: string;
  /** An NBD client node's server: where, which export, and whether it let the node write when last asked. */
  readonly remote?: { readonly server: string; readonly exportName: string; readonly readOnly: boolean };
  /** Cumulative perm and shared of the node's parents, as a `wrus` mask. */
  readonly perm: string;
  readonly shared: string;
  /** Its dirty bitmaps, newest first; absent: none. */
  readonly bitmaps?: readonly BitmapView[];
  /** The persistent bitmaps the image a file node holds open stores; absent: none. */
  readonly storedBitmaps?: readonly StoredBitmapView[];
}

/** A dirty bitmap as the drawing shows it: what decides what its node and the commands on it allow. */
export interface BitmapView {
  readonly name: string;
  /** Recording (not disabled). */
  readonly enabled: boolean;
  /** Stored in its qcow2 image when the node closes or goes read-only. */
  readonly persistent: boolean;
  /** A persistent bitmap of an image opened (or reopened) read-only: neither cleared nor removed. */
  readonly readonly: boolean;
  /** A backup job syncs it or an NBD export exports it. */
  readonly busy: boolean;
  readonly granularity: number;
}

/** A persistent bitmap stored in an image; `auto`: it records once loaded (BME_FLAG_AUTO). */
export interface StoredBitmapView {
  readonly name: string;
  readonly auto: boolean;
}

/** A character device: its id, backend kind, QEMU's filename for it, and whether a QMP monitor uses it. */
export interface ChardevView {
  readonly id: string;
  readonly backend: string;
  readonly filename: string;
  readonly monitor: boolean;
}

export interface EdgeView {
  readonly id: number;
  readonly parent: VertexId;
  readonly child: string;
  /** The child name: `file`, `backing`, `root`, … */
  readonly name: string;
  /** `wrus` masks in the manner of QEMU's render_block_graph.py (`_` for an absent bit). */
  readonly perm: string;
  readonly shared: string;
}

export interface UserView {
  readonly id: VertexId;
  readonly kind: 'export' | 'device' | 'job' | 'internal';
  readonly label: string;
}

export interface JobView {
  readonly id: string;
  readonly type: string;
  /** The state of the job's machine (QAPI JobStatus); `null` once the job is gone. */
  readonly state: string;
  readonly gone: boolean;
}

/** What a refused command blames: the node it was refused on and the edges or parents in the way. */
export interface Blame {
  readonly nodes: readonly string[];
  readonly edges: readonly number[];
  /** Parents named by the error that are not in the graph (the one the command tried to add). */
  readonly refused: readonly { readonly parent: string; readonly child: string; readonly name: string }[];
}

export interface Changed {
  /** Nodes added, or whose ro, state, open mode or bitmaps changed. */
  readonly nodes: readonly string[];
  /** Edges added, moved, or whose perm or shared changed. */
  readonly edges: readonly number[];
  readonly jobs: readonly string[];
  /** Short lines for what went away. */
  readonly removed: readonly string[];
}

export interface StepView {
  readonly index: number;
  /** The step as a one-line title (`block-commit {...}`, `wait-job c1 absent`). */
  readonly title: string;
  readonly note: string | null;
  readonly command: unknown;
  readonly reply: unknown;
  readonly events: readonly { readonly event: string; readonly data: unknown }[];
  /** The lines `permgraph run` prints for the step's changes. */
  readonly changeLines: readonly string[];
  readonly check: { readonly ok: boolean; readonly message: string } | null;
  readonly nodes: readonly NodeView[];
  readonly edges: readonly EdgeView[];
  readonly users: readonly UserView[];
  readonly jobs: readonly JobView[];
  /** The character devices (chardev-add's, a QMP monitor's); absent: none. */
  readonly chardevs?: readonly ChardevView[];
  readonly changed: Changed;
  readonly blame: Blame | null;
}
