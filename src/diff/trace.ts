/**
 * A trace: what happened when a scenario ran, step by step, in the shape the shared QMP oracle
 * (qsd_oracle.py) writes, so that recordings of either are read alike. After each step an
 * observation: the nodes, the graph's edges and their perms, the jobs, the exports, and how each
 * image file is held open.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface NodeObservation {
  readonly 'node-name': string;
  readonly drv: string;
  readonly ro: boolean;
  readonly file: string;
}

export interface EdgeObservation {
  readonly parent: string;
  readonly child: string;
  readonly name: string;
  readonly perm: readonly string[];
  readonly 'shared-perm': readonly string[];
}

/** One image file held open: its access mode and the lock bytes held on it. */
export interface FdObservation {
  readonly path: string;
  readonly mode: string;
  readonly locks: readonly string[];
  readonly fd?: number;
  readonly flags?: string;
  readonly extra?: readonly string[];
}

export interface Observation {
  readonly nodes: readonly NodeObservation[] | JsonObject;
  readonly graph: { readonly nodes: readonly string[]; readonly edges: readonly EdgeObservation[] } | JsonObject;
  readonly jobs?: readonly { readonly id: string; readonly type: string; readonly status: string }[] | JsonObject;
  readonly exports?: readonly { readonly id: string; readonly type: string; readonly 'node-name': string; readonly 'shutting-down': boolean }[] | JsonObject;
  readonly fds: readonly FdObservation[] | { readonly error: string };
}

export interface QmpEvent {
  readonly event: string;
  readonly data?: JsonObject;
}

export interface TraceStep {
  readonly i: number;
  readonly note?: string;
  readonly execute?: string;
  readonly arguments?: JsonObject;
  readonly return?: Json;
  readonly error?: { readonly class: string; readonly desc: string };
  readonly expect?: JsonObject;
  readonly expect_ok?: boolean;
  readonly 'wait-event'?: string;
  readonly matched?: QmpEvent;
  readonly 'wait-job'?: string;
  readonly status?: string;
  readonly sleep?: number;
  readonly advance?: number;
  readonly observe?: boolean;
  readonly obs?: Observation;
  readonly events?: readonly QmpEvent[];
  readonly timeout?: string;
  readonly failed?: string;
  readonly daemon_output?: string;
}

export interface SetupRecord {
  readonly op: string;
  readonly arg: Json;
  readonly rc?: number;
  readonly output?: string;
}

export interface Trace {
  readonly scenario: string;
  readonly description: string;
  /** The scratch directory `$W` stood for. */
  readonly workdir: string;
  readonly as_user: string | null;
  /** The greeting's version, or for a simulated run the model. */
  readonly qemu: Json;
  readonly daemon: Json;
  readonly setup: readonly SetupRecord[];
  readonly initial: Observation | null;
  readonly steps: readonly TraceStep[];
  readonly aborted?: string;
  readonly daemon_exit?: number | null;
  readonly daemon_killed_by?: string;
  readonly daemon_output_tail?: string;
  readonly elapsed_s?: number;
  readonly expect_mismatches?: number;
}
