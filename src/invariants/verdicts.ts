/**
 * What each snapshot invariant found on a snapshot, kept per snapshot object (snapshots never
 * change) with the storage it was checked against: where the incremental check
 * (src/invariants/incremental.ts) starts from.
 */
import type { Graph } from '../graph/types.js';
import type { Storage } from '../storage/storage.js';
import type { Violation } from './types.js';

export interface Verdicts {
  readonly storage: Storage | undefined;
  /** Per invariant of SNAPSHOT_INVARIANTS, in order, what it found; shorter when the check stopped early. */
  readonly found: readonly (readonly Violation[])[];
}

const verdicts = new WeakMap<Graph, Verdicts>();

export const verdictsOf = (graph: Graph): Verdicts | undefined => verdicts.get(graph);

/** What an invariant that found nothing found: one array for all (the explorer keeps many snapshots). */
const NONE: readonly Violation[] = Object.freeze([]);

export function remember(graph: Graph, storage: Storage | undefined, found: readonly (readonly Violation[])[]): void {
  verdicts.set(graph, { storage, found: found.map((broken) => (broken.length ? broken : NONE)) });
}
