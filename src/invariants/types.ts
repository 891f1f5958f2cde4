/** What an invariant is, what breaking one looks like, and what a check may know besides the snapshot. */
import type { Graph } from '../graph/types.js';
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
  /** Set when the break is QEMU 7.2's own documented behaviour, modelled on purpose. */
  readonly quirk?: string;
}

export interface InvariantContext {
  /**
   * The storage the snapshot was made on, if known: a descriptor may stay O_RDWR (and a node
   * read-write) only because reopening it read-only failed, which only the storage can tell.
   */
  readonly storage?: Storage;
}

/** One named invariant over a single snapshot. */
export interface SnapshotInvariant {
  readonly name: InvariantName;
  /** The QEMU fact it rests on: spec section and QEMU function. */
  readonly fact: string;
  check(graph: Graph, context: InvariantContext): Violation[];
}

/** An invariant from its name, its fact and a check that reports each break as one message. */
export function defineInvariant(
  name: InvariantName,
  fact: string,
  check: (graph: Graph, report: (message: string, quirk?: string) => void, context: InvariantContext) => void,
): SnapshotInvariant {
  return {
    name,
    fact,
    check(graph, context) {
      const out: Violation[] = [];
      check(graph, (message, quirk) => void out.push({ invariant: name, message, ...(quirk !== undefined ? { quirk } : {}) }), context);
      return out;
    },
  };
}
