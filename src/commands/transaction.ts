/**
 * transaction: several actions, all or none (blockdev.c: qmp_transaction(); QEMU 7.2 runs each
 * action's prepare in turn, then every commit, or every abort backwards; QEMU 10.0 does the same
 * through util/transactions.c). An action is the command of its name (registry.ts), run on the
 * snapshot the actions before it left: a refusal answers with that action's error and keeps the
 * snapshot the transaction started from, and none of the actions' events.
 *
 * The actions are the TransactionAction union (qapi/transaction.json), each variant's `data` the
 * arguments of its command, looked up by name (the registry hands its lookup in, registry.ts)
 * when the schema is first asked for: an action whose
 * command the simulator lacks is no value of TransactionActionKind, answered as a QEMU without
 * that action answers it (`Parameter 'actions[0].type' does not accept value '…'`).
 */
import type { GraphEvent } from '../core/events.js';
import { transact, TxError } from '../core/tx.js';
import type { TxEnv } from '../core/tx-state.js';
import { getJob, jobsInOrder } from '../graph/graph.js';
import { draftJob } from '../jobs/job-graph.js';
import { firstRead } from '../jobs/first-read.js';
import type { Graph } from '../graph/types.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { rulesOf } from '../models/rules.js';
import { enumOf, enumWith, listOf, opt, req, struct, type Member, type QapiType } from '../qapi/schema.js';
import type { Command, CommandArgs } from './command.js';

/** TransactionActionKind, in QEMU's order. */
export const TRANSACTION_ACTION_KINDS = [
  'abort',
  'block-dirty-bitmap-add',
  'block-dirty-bitmap-remove',
  'block-dirty-bitmap-clear',
  'block-dirty-bitmap-enable',
  'block-dirty-bitmap-disable',
  'block-dirty-bitmap-merge',
  'blockdev-backup',
  'blockdev-snapshot',
  'blockdev-snapshot-internal-sync',
  'blockdev-snapshot-sync',
  'drive-backup',
] as const;

/** The actions that take part in a grouped completion: those that start jobs. */
const JOB_ACTIONS: ReadonlySet<string> = new Set(['blockdev-backup', 'drive-backup']);

/** Finds a command by name (the registry's commandNamed()). */
export type CommandLookup = (name: string) => Command | undefined;

/** The kinds whose command the simulator has (abort needs none). */
const knownKinds = (lookup: CommandLookup): string[] => TRANSACTION_ACTION_KINDS.filter((k) => k === 'abort' || lookup(k) !== undefined);

/** TransactionAction: `{type, data}`, data the command's own arguments (Abort: none). */
function transactionAction(lookup: CommandLookup): QapiType {
  const kinds = knownKinds(lookup);
  return {
    kind: 'union',
    discriminator: 'type',
    base: [req('type', enumWith('TransactionActionKind', kinds.map((k) => (k === 'drive-backup' ? { name: k, features: ['deprecated'] } : k))))],
    variants: Object.fromEntries(kinds.map((k) => [k, [req('data', k === 'abort' ? struct() : (lookup(k)!.args ?? struct()))]])),
  };
}

/** The arguments; the actions are read when first checked, when every command is registered. */
function transactionArgs(lookup: CommandLookup): QapiType {
  let actions: QapiType | undefined;
  const actionsMember: Member = {
    name: 'actions',
    get type(): QapiType {
      return (actions ??= listOf(transactionAction(lookup)));
    },
  };
  return struct(actionsMember, opt('properties', struct(opt('completion-mode', enumOf('ActionCompletionMode', ['individual', 'grouped'])))));
}

interface Action {
  readonly type: string;
  readonly data: CommandArgs;
}

/**
 * The completion mode's refusal: QEMU 10.0 checks every action first, QEMU 7.2 in each action's
 * prepare (action_check_completion_mode(), which only the job actions and abort do not call).
 */
function refuseMode(release: number, actions: readonly Action[], mode: string, index: number | null): void {
  if (mode === 'individual') return;
  if (release >= 1000 && index === null) {
    const other = actions.find((a) => !JOB_ACTIONS.has(a.type));
    if (other) fail(msg.completionModeUnsupported10(other.type, mode));
  }
  const action = index === null ? undefined : actions[index]!;
  if (release < 1000 && action && !JOB_ACTIONS.has(action.type) && action.type !== 'abort') {
    fail(msg.completionModeUnsupported(action.type, mode));
  }
}

/** job_txn_new(): the jobs the actions started share one JobTxn, named by the first one's seq. */
/**
 * The jobs the actions started (backups) run once the transaction is over (the drained sections
 * ended): one whose first task covers its work ends then, one whose source cannot be read fails
 * (src/jobs/lifecycle.ts: firstRead()).
 */
function runStartedJobs(before: Graph, after: Graph, env: TxEnv): { graph: Graph; events: readonly GraphEvent[] } {
  const started = jobsInOrder(after).filter((job) => !getJob(before, job.id) && job.status === 'running');
  if (started.length === 0) return { graph: after, events: [] };
  return transact(after, env, (tx) => {
    for (const job of started) firstRead(tx, job.id);
  });
}

function groupJobs(before: Graph, after: Graph, env: TxEnv): Graph {
  const started = jobsInOrder(after).filter((job) => !getJob(before, job.id));
  if (started.length === 0) return after;
  const txn = `txn${started[0]!.seq}`;
  return transact(after, env, (tx) => {
    for (const job of started) draftJob(tx, job.id).txn = txn;
  }).graph;
}

/** Action `index` ran on an evolved snapshot: its refusal leaves nothing behind but the answer. */
function refusal(error: unknown, index: number): unknown {
  if (index === 0 || !(error instanceof TxError)) return error;
  return new QmpError(error.errorClass, error.desc);
}

/**
 * The actions prepared before one failed are aborted: what their aborts still leave behind
 * (tran_abort()) goes with the refusal, on the snapshot before the transaction.
 */
function undoneResidue(error: unknown, before: Graph, prepared: readonly Action[], lookup: CommandLookup, env: TxEnv): unknown {
  const undone = prepared.filter((a) => a.type !== 'abort' && lookup(a.type)?.undoneResidue);
  if (undone.length === 0 || !(error instanceof QmpError) || (error instanceof TxError && error.residue)) return error;
  const residue = undone.reduce((g, a) => lookup(a.type)!.undoneResidue!(g, a.data, env), before);
  return residue === before ? error : new TxError(error, [], residue);
}

/** The transaction command, its actions' commands found through `lookup`. */
export function transactionCommand(lookup: CommandLookup): Command {
  return {
    args: transactionArgs(lookup),
    run(graph, args, env) {
      const actions = args['actions'] as readonly Action[];
      const properties = args['properties'] as CommandArgs | undefined;
      const mode = (properties?.['completion-mode'] as string | undefined) ?? 'individual';
      const release = rulesOf(graph.model).qapiRelease;
      refuseMode(release, actions, mode, null);
      let current: Graph = graph;
      const events: GraphEvent[] = [];
      actions.forEach((action, index) => {
        try {
          refuseMode(release, actions, mode, index);
          if (action.type === 'abort') fail(msg.transactionAborted());
          const command = lookup(action.type)!;
          const result = (command.action?.prepare ?? command.run)(current, action.data, { ...env, deferJobRuns: true });
          current = result.graph;
          events.push(...result.events);
        } catch (error) {
          throw undoneResidue(refusal(error, index), graph, actions.slice(0, index), lookup, env);
        }
      });
      if (mode === 'grouped') current = groupJobs(graph, current, env);
      // the actions' .clean: QEMU 7.2 in their order, QEMU 10.0 (tran_commit()) newest first
      const cleans = actions.filter((a) => lookup(a.type)?.action);
      for (const action of release >= 1000 ? [...cleans].reverse() : cleans) {
        const cleaned = lookup(action.type)!.action!.clean(current, action.data, env);
        current = cleaned.graph;
        events.push(...cleaned.events);
      }
      const ran = runStartedJobs(graph, current, env);
      return { graph: ran.graph, events: [...events, ...ran.events], reply: {} };
    },
  };
}
