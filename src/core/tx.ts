/**
 * One graph-changing primitive, QEMU-style: change links first (the `*Noperm` functions of
 * links.ts), then `refresh()` the permissions of every node whose inputs changed, parents before
 * children. It works on a copy-on-write draft of the snapshot (src/core/draft.ts), so a throw
 * anywhere leaves the base untouched.
 */
import { QmpError } from '../messages/errors.js';
import type { Graph, NodeName } from '../graph/types.js';
import { beginDraft, finishDraft } from './draft.js';
import type { GraphEvent } from './events.js';
import { refresh } from './refresh.js';
import { Tx, type TxEnv } from './tx-state.js';

/** A refusal raised inside a transaction, with the events seen before it (reopen.failed, …). */
export class TxError extends QmpError {
  constructor(
    cause: QmpError,
    readonly events: readonly GraphEvent[],
    /** What a refused command still leaves behind (only QEMU quirks do that); else none. */
    readonly residue?: Graph,
  ) {
    super(cause.errorClass, cause.desc);
  }
}

export interface TxResult {
  readonly graph: Graph;
  readonly events: readonly GraphEvent[];
  /** The nodes the refresh looked at, in order (what a change cost). */
  readonly refreshed: readonly NodeName[];
}

/** Runs `recipe` on a draft of `base`: the new snapshot and its events, or a TxError. */
export function transact(base: Graph, env: TxEnv, recipe: (tx: Tx) => void): TxResult {
  const draft = beginDraft(base);
  const tx = new Tx(draft, base, env);
  try {
    recipe(tx);
    refresh(tx);
  } catch (error) {
    if (error instanceof QmpError) throw new TxError(error, tx.events);
    throw error;
  }
  return { graph: finishDraft(draft, base), events: tx.events, refreshed: tx.refreshed };
}
