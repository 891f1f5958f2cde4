/**
 * A QMP client on a unix socket with a deadline on every read. Replies are matched to requests by
 * `id`; events that arrive meanwhile are kept, in order, for `waitEvent`.
 */
import { createConnection, type Socket } from 'node:net';
import type { Json, JsonObject, QmpEvent } from './trace.js';

export class QmpTimeout extends Error {
  override readonly name = 'QmpTimeout';
}

/** The longest delay setTimeout takes; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class QmpConnectionError extends Error {
  override readonly name = 'QmpConnectionError';
}

export type QmpResponse = { readonly return: Json } | { readonly error: { readonly class: string; readonly desc: string } };

const subset = (want: Json | undefined, have: Json | undefined): boolean => {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    return !!have && typeof have === 'object' && !Array.isArray(have) && Object.entries(want).every(([k, v]) => k in have && subset(v, have[k]));
  }
  return JSON.stringify(want) === JSON.stringify(have);
};

export class QmpClient {
  private buffer = '';
  private readonly inbox: JsonObject[] = [];
  private closedWhy: string | null = null;
  private wake: (() => void) | null = null;
  private nextId = 0;
  /** Events not yet taken by waitEvent. */
  private readonly pending: QmpEvent[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line) this.accept(line);
      }
      this.notify();
    });
    // a reset and a close say the same: which one comes first is down to timing
    socket.on('close', () => this.fail('QMP connection closed by the daemon'));
    socket.on('error', () => this.fail('QMP connection closed by the daemon'));
  }

  /** Connects; rejects when the socket refuses or does not answer in time. */
  static connect(path: string, timeoutMs: number): Promise<QmpClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new QmpTimeout(`no connection to ${path} within ${timeoutMs / 1000}s`));
      }, Math.min(timeoutMs, MAX_TIMER_MS));
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new QmpClient(socket, timeoutMs));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private accept(line: string): void {
    try {
      const message = JSON.parse(line) as Json;
      if (message && typeof message === 'object' && !Array.isArray(message)) this.inbox.push(message);
      else this.fail(`the daemon sent a JSON value that is not an object: ${line.slice(0, 300)}`);
    } catch {
      this.fail(`the daemon sent a line that is not JSON: ${line.slice(0, 300)}`);
    }
  }

  private fail(why: string): void {
    this.closedWhy ??= why;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next message, waiting until `deadline` (Date.now() ms) at most. */
  private async next(deadline: number, what: () => string): Promise<JsonObject> {
    for (;;) {
      const message = this.inbox.shift();
      if (message) return message;
      if (this.closedWhy) throw new QmpConnectionError(this.closedWhy);
      const left = deadline - Date.now();
      if (left <= 0) throw new QmpTimeout(what());
      await new Promise<void>((resolve) => {
        // a longer wait than a timer can hold (2^31 - 1 ms) is waited in parts: the loop looks again
        const timer = setTimeout(resolve, Math.min(left, MAX_TIMER_MS));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private noteEvent(message: JsonObject, seen: QmpEvent[]): void {
    const event: QmpEvent = { event: message['event'] as string, ...(message['data'] !== undefined ? { data: message['data'] as JsonObject } : {}) };
    this.pending.push(event);
    seen.push(event);
  }

  async greeting(): Promise<JsonObject> {
    const message = await this.next(Date.now() + this.timeoutMs, () => `no QMP greeting within ${this.timeoutMs / 1000}s`);
    if (!message['QMP']) throw new QmpConnectionError(`unexpected QMP greeting: ${JSON.stringify(message).slice(0, 300)}`);
    return message['QMP'] as JsonObject;
  }

  /** Sends one command; its reply and the events seen while waiting for it. */
  async execute(command: string, args?: JsonObject, timeoutMs = this.timeoutMs): Promise<{ reply: QmpResponse; events: QmpEvent[] }> {
    const id = `p${++this.nextId}`;
    this.socket.write(`${JSON.stringify({ execute: command, id, ...(args !== undefined ? { arguments: args } : {}) })}\n`);
    const deadline = Date.now() + timeoutMs;
    const events: QmpEvent[] = [];
    for (;;) {
      const message = await this.next(deadline, () => `no reply to ${command} within ${timeoutMs / 1000}s`);
      if (typeof message['event'] === 'string') this.noteEvent(message, events);
      else if (message['id'] === id) {
        const { id: _id, ...reply } = message;
        return { reply: reply as QmpResponse, events };
      }
    }
  }

  /** The events that arrive within `ms`. */
  async pollEvents(ms: number): Promise<QmpEvent[]> {
    const deadline = Date.now() + ms;
    const events: QmpEvent[] = [];
    for (;;) {
      try {
        const message = await this.next(deadline, () => 'poll');
        if (typeof message['event'] === 'string') this.noteEvent(message, events);
      } catch (error) {
        if (error instanceof QmpTimeout) return events;
        throw error;
      }
    }
  }

  /** Waits for an event (one that already came counts) whose data contains `data`. */
  async waitEvent(name: string, data: JsonObject | undefined, timeoutMs: number): Promise<{ matched: QmpEvent; events: QmpEvent[] }> {
    const deadline = Date.now() + timeoutMs;
    const events: QmpEvent[] = [];
    for (;;) {
      const at = this.pending.findIndex((e) => e.event === name && subset(data ?? {}, e.data ?? {}));
      if (at >= 0) return { matched: this.pending.splice(at, 1)[0]!, events };
      const message = await this.next(deadline, () => `no ${name} event within ${timeoutMs / 1000}s`);
      if (typeof message['event'] === 'string') this.noteEvent(message, events);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
