/** What an invariant is, what breaking one looks like, and what a check may know besides the snapshot. */
import type { Backend, BlockExport, BlockNode, Edge, Graph, Job } from '../graph/types.js';
import type { Storage } from '../storage/storage.js';

export type InvariantName =
  | 'parents-share'
  | 'child-perms-follow-driver'
  | 'no-write-on-read-only'
  | 'fd-follows-writers'
  | 'dynamic-read-write-iff-writer'
  | 'nbd-write-only-where-let'
  | 'machine-at-rest'
  | 'refused-command-unchanged'
  | 'names-unique'
  | 'edges-point-at-live-nodes'
  | 'acyclic'
  | 'jobs-consistent';

export interface Violation {
  readonly invariant: InvariantName;
  /** What is wrong, naming the nodes, edges or jobs involved. */
  readonly message: string;
  /** Set when the break is QEMU's own documented behaviour (7.2's and 10.0's), modelled on purpose. */
  readonly quirk?: string;
}

export interface InvariantContext {
  /**
   * The storage the snapshot was made on, if known: a descriptor may stay O_RDWR (and a node
   * read-write) only because reopening it read-only failed, which only the storage can tell.
   */
  readonly storage?: Storage;
}

/**
 * The entries a check looks at, when not all (src/invariants/incremental.ts: those a command may
 * have changed the verdict on). Checks walk their entries in the same order either way, so a
 * scoped check reports what the whole one reports of those entries, in the same order.
 */
export interface Scope {
  readonly node: (node: BlockNode) => boolean;
  readonly edge: (edge: Edge) => boolean;
  readonly backend: (backend: Backend) => boolean;
  readonly export: (exp: BlockExport) => boolean;
  readonly job: (job: Job) => boolean;
}

/** The entries of `list` in scope (all of them without one), in their order. */
export const inScope = <T>(list: readonly T[], keep: ((value: T) => boolean) | undefined): readonly T[] => (keep ? list.filter(keep) : list);

/** One named invariant over a single snapshot. */
export interface SnapshotInvariant {
  readonly name: InvariantName;
  /** The QEMU fact it rests on: spec section and QEMU function. */
  readonly fact: string;
  check(graph: Graph, context: InvariantContext, scope?: Scope): Violation[];
}

/** An invariant from its name, its fact and a check that reports each break as one message. */
export function defineInvariant(
  name: InvariantName,
  fact: string,
  check: (graph: Graph, report: (message: string, quirk?: string) => void, context: InvariantContext, scope: Scope | undefined) => void,
): SnapshotInvariant {
  return {
    name,
    fact,
    check(graph, context, scope) {
      const out: Violation[] = [];
      check(graph, (message, quirk) => void out.push({ invariant: name, message, ...(quirk !== undefined ? { quirk } : {}) }), context, scope);
      return out;
    },
  };
}
