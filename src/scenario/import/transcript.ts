/**
 * What every kind of input is read into: the QMP messages in the order they crossed the monitor
 * (commands sent, replies and events received), each with the line it was read from. A message
 * that is no QMP command, reply or event is bad input: one line that says the file, the line and
 * what is wrong.
 */
import { ScenarioError } from '../data-error.js';

export type InputKind = 'qmp' | 'qmp-shell' | 'libvirt';

export interface QmpErrorValue {
  readonly class: string;
  readonly desc: string;
}

export type ReplyValue = { readonly return: unknown } | { readonly error: QmpErrorValue };

export interface CommandMessage {
  readonly kind: 'command';
  readonly line: number;
  readonly execute: string;
  readonly arguments?: Record<string, unknown>;
  readonly id?: unknown;
}

export interface ReplyMessage {
  readonly kind: 'reply';
  readonly line: number;
  readonly id?: unknown;
  readonly reply: ReplyValue;
}

export interface EventMessage {
  readonly kind: 'event';
  readonly line: number;
  readonly event: string;
  readonly data: Record<string, unknown>;
}

export type Message = CommandMessage | ReplyMessage | EventMessage;

export interface Transcript {
  readonly kind: InputKind;
  /** What the input was read as, for the output's header: `a libvirt debug log (…)`. */
  readonly how: string;
  readonly messages: readonly Message[];
  /** Things the reader left out or assumed, each one line. */
  readonly notes: readonly string[];
  /** The QEMU version the greeting or qmp-shell's banner names. */
  readonly version?: string;
}

/** A line that cannot be read: `FILE:LINE: what`. */
export const lineError = (file: string, line: number, what: string): ScenarioError => new ScenarioError(`${file}:${line}: ${what}`);

/** A piece of the input to quote in a message: one line, at most 60 characters. */
export function snippet(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

function replyOf(value: Record<string, unknown>, file: string, line: number): ReplyValue {
  if ('return' in value) return { return: value['return'] };
  const error = value['error'];
  if (!isObject(error) || typeof error['class'] !== 'string' || typeof error['desc'] !== 'string') {
    throw lineError(file, line, `an error reply needs "error": {"class": …, "desc": …}`);
  }
  return { error: { class: error['class'], desc: error['desc'] } };
}

function commandOf(value: Record<string, unknown>, file: string, line: number): CommandMessage {
  const execute = value['execute'] ?? value['exec-oob'];
  if (typeof execute !== 'string' || execute === '') throw lineError(file, line, '"execute" must name a command');
  const args = value['arguments'];
  if (args !== undefined && !isObject(args)) throw lineError(file, line, `${execute}: "arguments" must be an object`);
  return {
    kind: 'command',
    line,
    execute,
    ...(args !== undefined ? { arguments: args } : {}),
    ...(value['id'] !== undefined ? { id: value['id'] } : {}),
  };
}

/**
 * The messages one QMP object stands for: a command, a reply, an event, or (qmp-shell's log
 * file) a command merged with its reply; the greeting is none. Anything else is bad input.
 */
export function classify(value: unknown, file: string, line: number): Message[] {
  if (!isObject(value)) throw lineError(file, line, `not a QMP message (a JSON object): ${snippet(JSON.stringify(value) ?? '')}`);
  if ('QMP' in value) return [];
  const id = value['id'] !== undefined ? { id: value['id'] } : {};
  if ('execute' in value || 'exec-oob' in value) {
    const command = commandOf(value, file, line);
    const answered = 'return' in value || 'error' in value;
    return answered ? [command, { kind: 'reply', line, ...id, reply: replyOf(value, file, line) }] : [command];
  }
  if ('return' in value || 'error' in value) return [{ kind: 'reply', line, ...id, reply: replyOf(value, file, line) }];
  if ('event' in value) {
    const data = value['data'] ?? {};
    if (typeof value['event'] !== 'string' || !isObject(data)) throw lineError(file, line, 'an event needs a name and "data" that is an object');
    return [{ kind: 'event', line, event: value['event'], data }];
  }
  throw lineError(file, line, `not a QMP command, reply or event: ${snippet(JSON.stringify(value))}`);
}

/** The version a QMP greeting names: `7.2.22`. */
export function greetingVersion(value: unknown): string | undefined {
  if (!isObject(value) || !isObject(value['QMP'])) return undefined;
  const version = value['QMP']['version'];
  const qemu = isObject(version) ? version['qemu'] : undefined;
  return isObject(qemu) ? `${String(qemu['major'])}.${String(qemu['minor'])}.${String(qemu['micro'])}` : undefined;
}
