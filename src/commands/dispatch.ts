/**
 * One QMP command against a snapshot: arguments checked as QEMU's visitors do, the handler run,
 * and the answer in QMP's shape. Pure: a refused command returns the snapshot it was given. No
 * input makes it throw: what is no command at all is answered as QEMU's dispatcher answers it, and
 * a fault of the simulator's own (anything thrown that is no QmpError) as an internal error.
 */
import type { CommandArgs } from './command.js';
import { commandNamed } from './registry.js';
import type { Graph } from '../graph/types.js';
import { visitOnce } from '../qapi/visit-once.js';
import { struct } from '../qapi/schema.js';
import { fail, QmpError } from '../messages/errors.js';
import type { GraphEvent } from '../core/events.js';
import { msg } from '../messages/messages.js';
import { TxError } from '../core/tx.js';
import type { TxEnv } from '../core/tx-state.js';
import type { QmpCommand, QmpReply } from '../qapi/reply.js';
import { rulesOf } from '../models/rules.js';
import { schemaFor } from '../qapi/release-schema.js';

export interface Dispatched {
  readonly graph: Graph;
  readonly events: readonly GraphEvent[];
  readonly reply: QmpReply;
  /** Set when the command failed by a fault of the simulator's own: what was thrown. */
  readonly internal?: { readonly fault: unknown };
  /** A refused command's transaction: what it did before the refusal (not published; where QEMU dies is judged on it). */
  readonly tried?: readonly GraphEvent[];
  /** Its arguments passed QEMU's visitors and its handler ran (what a 7.2 drain is judged on: throttle-wake.ts). */
  readonly ran?: true;
}

const NO_ARGS = struct();
/** The arguments of a command given none: one object, so their check is remembered too. */
const NO_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze({});

export function dispatch(graph: Graph, env: TxEnv, command: QmpCommand): Dispatched {
  let ran = false;
  try {
    // qmp_dispatch_check_obj(): a caller of the library may hand over anything
    const input: unknown = command;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) fail(msg.inputNotObject());
    const { execute, arguments: given } = input as { readonly execute?: unknown; readonly arguments?: unknown };
    if (typeof execute !== 'string') fail(execute === undefined ? msg.inputLacksExecute() : msg.memberNotString('execute'));
    if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) fail(msg.argumentsNotObject());
    const handler = commandNamed(execute);
    const args = given ?? NO_ARGUMENTS;
    const rules = rulesOf(graph.model);
    const release = rules.qapiRelease;
    if (!handler || (handler.since ?? 0) > release || (handler.systemEmulatorOnly === true && !rules.systemEmulator)) throw new QmpError('CommandNotFound', msg.commandNotFound(execute));
    const checked = visitOnce(args, schemaFor(handler.args ?? NO_ARGS, release)) as CommandArgs;
    ran = true;
    const result = handler.run(graph, checked, env);
    return { graph: result.graph, events: result.events, reply: { return: result.reply }, ran };
  } catch (error) {
    if (!(error instanceof QmpError)) return internalError(graph, commandLabel(command), error);
    const failure = { class: error.errorClass, desc: error.desc };
    // what happened all the same: refused reopens, negotiations with NBD servers, jobs that failed early
    const seen = error instanceof TxError ? [...error.events.filter((e) => e.type === 'reopen.failed' || e.type === 'nbd.negotiated'), ...earlyFailedJobs(error.events)] : [];
    const residue = error instanceof TxError ? error.residue : undefined;
    return {
      graph: residue ?? graph,
      events: [
        ...seen,
        ...(residue && error instanceof TxError ? error.events : []),
        { type: 'command.rejected', command: commandLabel(command), error: failure },
      ],
      reply: { error: failure },
      ...(error instanceof TxError ? { tried: error.events } : {}),
      ...(ran ? { ran } : {}),
    };
  }
}

/**
 * A command that failed by a fault of the simulator's own, not a refusal: the snapshot as it was,
 * only `command.rejected` published, and an error reply of QEMU's generic class that says so.
 */
export function internalError(graph: Graph, command: string, fault: unknown): Dispatched {
  const failure = { class: 'GenericError', desc: msg.internalError(faultMessage(fault)) };
  return {
    graph,
    events: [{ type: 'command.rejected', command, error: failure }],
    reply: { error: failure },
    internal: { fault },
  };
}

/** What a fault says of itself, on one line, whatever was thrown. */
export function faultMessage(fault: unknown): string {
  let text = '';
  try {
    text = fault instanceof Error ? fault.message || fault.name : String(fault);
  } catch {
    // an object without a prototype, or whose toString throws, or a revoked proxy
    try {
      text = Object.prototype.toString.call(fault);
    } catch {
      text = '';
    }
  }
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown fault';
}

/** The command's name for events and messages, whatever the input was. */
export function commandLabel(command: unknown): string {
  try {
    const execute = typeof command === 'object' && command !== null ? (command as { execute?: unknown }).execute : undefined;
    return typeof execute === 'string' ? execute : '(no command)';
  } catch {
    return '(no command)';
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
