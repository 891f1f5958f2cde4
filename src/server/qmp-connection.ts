/**
 * One QMP client's connection: the greeting, capability negotiation, then its commands, handed on
 * one at a time to be run.
 *
 * Input costs linear time and bounded memory: bytes go through QEMU's JSON lexer one at a time,
 * and a client whose replies it does not read stops being read once they pass OUTPUT_BACKLOG
 * (the rest of its input waits, unlexed, in the socket), as QEMU suspends a monitor that is not
 * keeping up. Everything a connection holds is dropped when it closes.
 */
import { commandNamed } from '../commands/registry.js';
import { msg } from '../messages/messages.js';
import { JsonStreamer, type Message } from './json-streamer.js';
import { checkInput, errorReply, GREETING, line, negotiate } from './protocol.js';

/** Unsent output past which a client's input is no longer read (until it reads its replies). */
export const OUTPUT_BACKLOG = 1024 * 1024;
/** Unsent output past which a client that still does not read is disconnected (events pile up). */
export const OUTPUT_LIMIT = 64 * 1024 * 1024;

/** A command as a negotiated client sent it, checked, to be run. */
export interface CommandInput {
  readonly execute: string;
  readonly arguments: Record<string, unknown>;
  readonly id?: unknown;
}

/** What a connection needs of its transport. */
export interface Transport {
  write(text: string): void;
  /** Bytes written but not yet taken by the peer. */
  backlog(): number;
  onDrain(then: () => void): void;
  pause(): void;
  resume(): void;
  /** Ends the connection after what was written. */
  end(): void;
  /** Drops the connection at once. */
  destroy(): void;
}

/** One client: greeting, negotiation, then commands, with its own lexer state and backlog. */
export class Connection {
  negotiated = false;
  private oob = false;
  private readonly streamer = new JsonStreamer((message) => this.handle(message));
  /** Input read but not yet lexed, while the client's replies are not being read. */
  private pending: Buffer[] = [];
  private offset = 0;
  private waiting = false;
  closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly run: (connection: Connection, command: CommandInput) => boolean,
    private readonly log: (line: string) => void,
  ) {
    this.send(GREETING);
  }

  send(message: unknown): void {
    if (this.closed) return;
    this.transport.write(line(message));
    if (this.transport.backlog() > OUTPUT_LIMIT) {
      this.log(`permgraph qmp: a client read none of its last ${OUTPUT_LIMIT} bytes of output; disconnecting it`);
      this.close();
      this.transport.destroy();
    }
  }

  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.pending.push(chunk);
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.pending = [];
  }

  private readonly busy = (): boolean => this.closed || this.transport.backlog() > OUTPUT_BACKLOG;

  /** Lexes pending input until it is all taken or the client's backlog is full. */
  private pump(): void {
    while (this.pending.length > 0 && !this.busy()) {
      const chunk = this.pending[0]!;
      this.offset = this.streamer.feed(chunk, this.offset, this.busy);
      if (this.offset >= chunk.length) {
        this.pending.shift();
        this.offset = 0;
      }
    }
    if (this.pending.length === 0 || this.closed) {
      this.transport.resume();
      return;
    }
    this.transport.pause();
    if (!this.waiting) {
      this.waiting = true;
      this.transport.onDrain(() => {
        this.waiting = false;
        this.pump();
      });
    }
  }

  /** handle_qmp_command() and qmp_dispatch(): one message, answered. */
  private handle(message: Message): void {
    if ('error' in message) return this.send(errorReply(message.error));
    const input = checkInput(message.value, this.oob);
    if (!('execute' in input)) return this.send(input);
    const id = input.id !== undefined ? { id: input.id } : {};
    if (!this.negotiated) {
      if (input.execute !== 'qmp_capabilities') {
        return this.send(errorReply(msg.negotiationFirst(), 'CommandNotFound', input.id));
      }
      const accepted = negotiate(input.arguments);
      if ('errorClass' in accepted) return this.send(errorReply(accepted.desc, accepted.errorClass, input.id));
      this.negotiated = true;
      this.oob = accepted.oob;
      return this.send({ return: {}, ...id });
    }
    if (input.oob) {
      // no command of qemu-storage-daemon allows out-of-band execution
      const known = commandNamed(input.execute) !== undefined;
      return this.send(
        known
          ? errorReply(msg.commandNoOob(input.execute), 'GenericError', input.id)
          : errorReply(msg.commandNotFound(input.execute), 'CommandNotFound', input.id),
      );
    }
    if (!this.run(this, input)) this.close();
  }
}
