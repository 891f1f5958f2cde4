/**
 * QMP as qemu-storage-daemon 7.2 speaks it (monitor/qmp.c, qapi/qmp-dispatch.c): the greeting,
 * capability negotiation, the checks on each input object, replies and event envelopes.
 */
import { QEMU_VERSION, qmpCapabilities } from '../commands/session.js';
import { QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { QmpReply } from '../qapi/reply.js';
import { visit } from '../qapi/visit.js';
import { qjson } from '../util/qjson.js';
import { isQDict, qdictKeys } from '../util/qobject.js';

export type { QmpReply } from '../qapi/reply.js';

export const GREETING = { QMP: { version: QEMU_VERSION, capabilities: ['oob'] } };

export const errorReply = (desc: string, errorClass = 'GenericError', id?: unknown): QmpReply => ({
  error: { class: errorClass, desc },
  ...(id !== undefined ? { id } : {}),
});

export interface ParsedCommand {
  readonly execute: string;
  readonly arguments: Record<string, unknown>;
  /** Sent as `exec-oob`. */
  readonly oob: boolean;
  readonly id?: unknown;
}

/**
 * qmp_dispatch() up to the command lookup: a command, or the error reply QEMU gives for the input.
 * The members are checked in the order QEMU's QDict lists them (its hash order), so of two
 * mistakes the one QEMU finds first is reported. `exec-oob` is a member only with OOB enabled.
 */
export function checkInput(input: unknown, allowOob: boolean): ParsedCommand | QmpReply {
  if (!isQDict(input)) return errorReply(msg.inputNotObject());
  const id = Object.hasOwn(input, 'id') ? input['id'] : undefined;
  let execKey: string | undefined;
  for (const key of qdictKeys(input, true)) {
    const value = input[key];
    if (key === 'execute' || (key === 'exec-oob' && allowOob)) {
      if (typeof value !== 'string') return errorReply(msg.memberNotString(key), 'GenericError', id);
      if (execKey) return errorReply(msg.membersClash(key, execKey), 'GenericError', id);
      execKey = key;
    } else if (key === 'arguments') {
      if (!isQDict(value)) return errorReply(msg.argumentsNotObject(), 'GenericError', id);
    } else if (key !== 'id') {
      return errorReply(msg.memberUnexpected(key), 'GenericError', id);
    }
  }
  if (!execKey) return errorReply(msg.inputLacksExecute(), 'GenericError', id);
  const args = Object.hasOwn(input, 'arguments') ? (input['arguments'] as Record<string, unknown>) : {};
  return { execute: input[execKey] as string, arguments: args, oob: execKey === 'exec-oob', ...(id !== undefined ? { id } : {}) };
}

/**
 * qmp_capabilities before negotiation (qmp_caps_accept()): its arguments checked, then the
 * capabilities asked for; every one QEMU offers (oob) is accepted.
 */
export function negotiate(args: Record<string, unknown>): { readonly oob: boolean } | QmpError {
  try {
    visit(args, qmpCapabilities.args!);
  } catch (error) {
    if (error instanceof QmpError) return error;
    throw error;
  }
  const enable = (args['enable'] ?? []) as readonly string[];
  return { oob: enable.includes('oob') };
}

/** The event envelope, stamped with the wall clock. */
export function eventMessage(event: string, data: Readonly<Record<string, unknown>>, now = Date.now()): Record<string, unknown> {
  return { event, data, timestamp: { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 } };
}

/** One line of output, with the line end the daemon uses. */
export const line = (message: unknown): string => `${qjson(message)}\r\n`;
