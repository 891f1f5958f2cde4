/**
 * Work QEMU does as a row of graph changes, each kept once done: bdrv_activate() and
 * bdrv_inactivate() refresh the permissions node by node, and a failure undoes only the change
 * that failed. Each step is a transaction of its own; a failure after some steps were kept
 * leaves them behind as the refused command's residue.
 */
import { QmpError } from '../messages/errors.js';
import type { Graph } from '../graph/types.js';
import type { GraphEvent } from './events.js';
import { transact, TxError } from './tx.js';
import type { Tx, TxEnv } from './tx-state.js';

export class Steps {
  /** The graph after the last step kept. */
  graph: Graph;
  readonly events: GraphEvent[] = [];

  constructor(
    readonly start: Graph,
    readonly env: TxEnv,
  ) {
    this.graph = start;
  }

  /** One change, refreshed at once: kept, or thrown away with its failure thrown. */
  run(recipe: (tx: Tx) => void): void {
    const result = transact(this.graph, this.env, recipe);
    this.graph = result.graph;
    this.events.push(...result.events);
  }

  /** Rethrows a failure, with the steps kept before it as its residue. */
  fail(error: unknown): never {
    if (error instanceof QmpError && this.graph !== this.start) throw new TxError(error, this.events, this.graph);
    throw error;
  }
}
