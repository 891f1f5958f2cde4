/**
 * The jobs of one JobTxn (job.c): a `transaction` with `completion-mode: grouped` puts its jobs in
 * one, and they complete and fail together (job_completed_txn_success(),
 * job_completed_txn_abort()). A job started alone is a JobTxn of its own.
 */
import { jobsInOrder } from '../graph/graph.js';
import type { Graph, Job, JobStatus } from '../graph/types.js';

/** job_is_completed(): the job has returned from its run. */
const COMPLETED: ReadonlySet<JobStatus> = new Set(['waiting', 'pending', 'aborting', 'concluded', 'null']);

export const isCompleted = (job: Job): boolean => COMPLETED.has(job.status);

/** The jobs of `job`'s JobTxn, itself included, newest first (QLIST_INSERT_HEAD in job_txn_add_job()). */
export function txnJobs(graph: Graph, job: Job): Job[] {
  if (job.txn === undefined) return [job];
  return jobsInOrder(graph)
    .filter((other) => other.txn === job.txn)
    .sort((a, b) => b.seq - a.seq);
}
