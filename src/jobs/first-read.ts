/**
 * The first read of a backup's or mirror's source (backup_run()'s first block-copy task,
 * mirror_run()'s first iteration), and what it leaves: a job failed or stopped by a source it
 * cannot read, a backup done at once, the file a vvfat disk's read reached kept open.
 */
import { castDraft } from 'immer';
import type { Tx } from '../core/tx-state.js';
import { fileLeftOpen } from '../drivers/vvfat-map.js';
import { getJob } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { rulesOf } from '../models/rules.js';
import { writeFirstTask } from './backup-writes.js';
import { doneAtOnce, firstTaskBytes, nothingToMirror } from './first-chunk.js';
import { workDone } from './clock.js';
import { afterReply, draftJob, setJobStatus } from './job-graph.js';
import { completeJob, failJob } from './lifecycle.js';
import { nodesFirstReadReaches, sourceReadError } from './source-read.js';

/**
 * The first read of a backup's or mirror's source, as the job starts (a backup's once its
 * transaction ends), or when it is resumed after an I/O error stopped it (backup_run()'s first
 * block-copy task, mirror_run()'s first iteration). A read that fails is handed to
 * block_job_error_action() with `on-source-error`: `report` (or `enospc`) ends the job with the
 * error, `stop` pauses it with its iostatus failed, `ignore` tries again (the job runs on). A
 * backup whose first task covers its work ends at once instead.
 */
export function firstRead(tx: Tx, id: string): void {
  const current = getJob(tx.g as Graph, id)!;
  const { plan } = current;
  if (plan.kind !== 'backup' && plan.kind !== 'mirror') return;
  const reads = current.len > 0 && !(plan.kind === 'backup' && plan.untilCancelled);
  const readError = reads ? sourceReadError(tx, plan.source) : null;
  if (readError === null) {
    if (reads && plan.kind === 'backup') {
      const copied = firstTaskBytes(tx.g as Graph, tx.env.storage, current);
      leaveFilesOpen(tx, plan.source, copied);
      writeFirstTask(tx, plan, copied);
      draftJob(tx, id).copied = copied;
    }
    if (doneAtOnce(tx.g as Graph, tx.env.storage, current)) afterReply(tx, () => completeJob(tx, id));
    else if (nothingToMirror(tx.g as Graph, plan)) {
      afterReply(tx, () => {
        if (getJob(tx.g as Graph, id)?.status === 'running') workDone(tx, id);
      });
    }
    return;
  }
  const onError = plan.onSourceError;
  if (onError === 'ignore') return;
  afterReply(tx, () => {
    tx.emit({ type: 'qmp.event', event: 'BLOCK_JOB_ERROR', data: { device: id, operation: 'read', action: onError ?? 'report' } });
    if (onError === 'stop') return stopOnError(tx, id);
    if (plan.kind === 'mirror' && current.speed > 0 && rulesOf(tx.g.model).throttledMirrorFailsLate) return;
    failJob(tx, id, readError);
  });
}

/** A read of [0, end) through `source`: each vvfat node it reaches keeps the last file it read open. */
function leaveFilesOpen(tx: Tx, source: NodeName, end: number): void {
  for (const at of nodesFirstReadReaches(tx, source)) {
    const vvfat = tx.mustPeekNode(at).vvfat;
    if (!vvfat || !vvfat.entries.some((e) => e.firstByte < end)) continue;
    const openFile = fileLeftOpen(vvfat.entries, end);
    tx.mustNode(at).vvfat = castDraft({ entries: vvfat.entries, ...(openFile ? { openFile } : {}) });
  }
}

/** block_job_error_action() with `stop`: the job paused as if by the user, its iostatus failed. */
function stopOnError(tx: Tx, id: string): void {
  const draft = draftJob(tx, id);
  draft.userPaused = true;
  draft.ioFailed = true;
  setJobStatus(tx, id, 'paused');
}
