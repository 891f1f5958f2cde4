/**
 * QMP as qemu-storage-daemon 7.2 speaks it (monitor/qmp.c, qapi/qmp-dispatch.c): the greeting,
 * capability negotiation, the checks on each input object, replies and event envelopes.
 */
import { QEMU_VERSION } from '../commands/session.js';
import { qjson } from '../util/qjson.js';

export type QmpReply =
  | { readonly return: unknown; readonly id?: unknown }
  | { readonly error: { readonly class: string; readonly desc: string }; readonly id?: unknown };

export const GREETING = { QMP: { version: QEMU_VERSION, capabilities: ['oob'] } };

export const errorReply = (desc: string, errorClass = 'GenericError', id?: unknown): QmpReply => ({
  error: { class: errorClass, desc },
  ...(id !== undefined ? { id } : {}),
});

export interface ParsedCommand {
  readonly execute: string;
  readonly arguments: Record<string, unknown>;
  readonly id?: unknown;
}

const ALLOWED = new Set(['execute', 'exec-oob', 'arguments', 'id']);

/** qmp_dispatch_check_obj(): a command, or the error reply QEMU gives for the input. */
export function checkInput(input: unknown): ParsedCommand | QmpReply {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return errorReply('QMP input must be a JSON object');
  const obj = input as Record<string, unknown>;
  const id = obj['id'];
  for (const key of Object.keys(obj)) {
    if (!ALLOWED.has(key)) return errorReply(`QMP input member '${key}' is unexpected`, 'GenericError', id);
  }
  const execute = obj['execute'] ?? obj['exec-oob'];
  if (execute === undefined) return errorReply("QMP input lacks member 'execute'", 'GenericError', id);
  if (typeof execute !== 'string') {
    return errorReply(`QMP input member '${'execute' in obj ? 'execute' : 'exec-oob'}' must be a string`, 'GenericError', id);
  }
  const args = obj['arguments'];
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    return errorReply("QMP input member 'arguments' must be an object", 'GenericError', id);
  }
  return { execute, arguments: (args as Record<string, unknown> | undefined) ?? {}, ...(id !== undefined ? { id } : {}) };
}

/** The event envelope, stamped with the wall clock. */
export function eventMessage(event: string, data: Readonly<Record<string, unknown>>, now = Date.now()): Record<string, unknown> {
  return { event, data, timestamp: { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 } };
}

/** One line of output, with the line end the daemon uses. */
export const line = (message: unknown): string => `${qjson(message)}\r\n`;
