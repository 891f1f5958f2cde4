/**
 * One QMP command against a snapshot: arguments checked as QEMU's visitors do, the handler run,
 * and the answer in QMP's shape. Pure: a refused command returns the snapshot it was given.
 */
import { COMMANDS } from '../commands/registry.js';
import type { Graph } from '../graph/types.js';
import { visit } from '../qapi/visit.js';
import { struct } from '../qapi/schema.js';
import { QmpError } from './errors.js';
import type { GraphEvent } from './events.js';
import { msg } from './messages.js';
import { TxError, type TxEnv } from './tx.js';

export interface QmpCommand {
  readonly execute: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

export type QmpReply =
  | { readonly return: unknown }
  | { readonly error: { readonly class: string; readonly desc: string } };

export interface Dispatched {
  readonly graph: Graph;
  readonly events: readonly GraphEvent[];
  readonly reply: QmpReply;
}

const NO_ARGS = struct();

export function dispatch(graph: Graph, env: TxEnv, command: QmpCommand): Dispatched {
  const handler = COMMANDS[command.execute];
  const args = command.arguments ?? {};
  try {
    if (!handler) throw new QmpError('CommandNotFound', msg.commandNotFound(command.execute));
    visit(args, handler.args ?? NO_ARGS);
    const result = handler.run(graph, args, env);
    return { graph: result.graph, events: result.events, reply: { return: result.reply } };
  } catch (error) {
    if (!(error instanceof QmpError)) throw error;
    const failure = { class: error.errorClass, desc: error.desc };
    const seen = error instanceof TxError ? [...error.events.filter((e) => e.type === 'reopen.failed'), ...earlyFailedJobs(error.events)] : [];
    const residue = error instanceof TxError ? error.residue : undefined;
    return {
      graph: residue ?? graph,
      events: [
        ...seen,
        ...(residue && error instanceof TxError ? error.events : []),
        { type: 'command.rejected', command: command.execute, error: failure },
      ],
      reply: { error: failure },
    };
  }
}

/**
 * job_early_fail(): a job that was created when its command then failed is announced as created
 * and, at once, gone (JOB_STATUS_CHANGE created, null), as QEMU 7.2 does.
 */
function earlyFailedJobs(events: readonly GraphEvent[]): GraphEvent[] {
  return events.flatMap((e) =>
    e.type === 'qmp.event' && e.event === 'JOB_STATUS_CHANGE' && e.data['status'] === 'created'
      ? [e, { type: 'qmp.event', event: 'JOB_STATUS_CHANGE', data: { id: e.data['id'], status: 'null' } } satisfies GraphEvent]
      : [],
  );
}
