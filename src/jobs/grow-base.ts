/**
 * commit_run() and mirror_run() of an active commit (block/commit.c, block/mirror.c): a base
 * shorter than the top is grown to the top's length first, through the job's own BlockBackend
 * (blk_truncate(), exact=false, no Error); a refusal ends the job with its errno's strerror().
 */
import { QmpError } from '../messages/errors.js';
import type { Strerror } from '../messages/strerror.js';
import { truncateNode } from '../core/truncate.js';
import type { Tx } from '../core/tx-state.js';
import type { NodeName } from '../graph/types.js';

/** Grows `base` to `length` where it is shorter: the job's failure, or null. */
export function growBase(tx: Tx, base: NodeName, length: number): Strerror | null {
  if (tx.mustPeekNode(base).size >= length) return null;
  try {
    truncateNode(tx, base, BigInt(length));
    return null;
  } catch (error) {
    if (error instanceof QmpError && error.errno !== undefined) return error.errno;
    throw error;
  }
}
