/**
 * `permgraph qmp`: a QMP server on a unix socket (several clients at once) or on stdio, in front
 * of one permgraph. Commands run one at a time in arrival order (execution is synchronous), QMP
 * events go to every negotiated client (a command's own either side of its reply, as QEMU sends
 * them: see core/events.ts), jobs advance on the wall clock, and a client that vanishes harms
 * nothing.
 *
 * Input costs linear time and bounded memory: bytes go through QEMU's JSON lexer one at a time,
 * and a client whose replies it does not read stops being read once they pass OUTPUT_BACKLOG
 * (the rest of its input waits, unlexed, in the socket), as QEMU suspends a monitor that is not
 * keeping up. Everything a connection holds is dropped when it closes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { Subscription } from 'rxjs';
import { commandNamed } from '../commands/registry.js';
import { msg } from '../messages/messages.js';
import { splitAtReply, type GraphEvent } from '../core/events.js';
import type { Permgraph } from '../runtime/permgraph.js';
import { startWallClock } from '../runtime/wall-clock.js';
import { JsonStreamer, type Message } from './json-streamer.js';
import { checkInput, errorReply, eventMessage, GREETING, line, negotiate } from './protocol.js';

/** Unsent output past which a client's input is no longer read (until it reads its replies). */
export const OUTPUT_BACKLOG = 1024 * 1024;
/** Unsent output past which a client that still does not read is disconnected (events pile up). */
export const OUTPUT_LIMIT = 64 * 1024 * 1024;
/** Clients served at once on a socket; more are closed at once. */
export const MAX_CLIENTS = 256;

export interface QmpServerOptions {
  readonly permgraph: Permgraph;
  readonly socketPath?: string;
  readonly stdio?: { readonly input: Readable; readonly output: Writable };
  /** Where the server reports what it does to a client (disconnects); stderr by default. */
  readonly log?: (line: string) => void;
}

export interface QmpServer {
  /** Resolves once the server stopped (quit, or close()). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** What a connection needs of its transport. */
interface Transport {
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
class Connection {
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
    private readonly run: (connection: Connection, command: { execute: string; arguments: Record<string, unknown>; id?: unknown }) => boolean,
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

export async function startQmpServer(options: QmpServerOptions): Promise<QmpServer> {
  const { permgraph } = options;
  const log = options.log ?? ((text: string) => process.stderr.write(`${text}\n`));
  const connections = new Set<Connection>();
  const clock = startWallClock(permgraph);
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let quitRequested = false;
  let stopping = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const broadcast = (event: GraphEvent): void => {
    if (event.type !== 'qmp.event') return;
    const message = eventMessage(event.event, event.data);
    for (const connection of connections) if (connection.negotiated) connection.send(message);
  };
  /** The events of the command being run, held until its reply is out; none between commands. */
  let commandEvents: GraphEvent[] | undefined;
  const events: Subscription = permgraph.events$.subscribe((event) => {
    if (event.type === 'shutdown') quitRequested = true;
    if (commandEvents) commandEvents.push(event);
    else broadcast(event);
  });

  const close = async (): Promise<void> => {
    if (stopping) return closed;
    stopping = true;
    clock.stop();
    events.unsubscribe();
    for (const connection of connections) connection.close();
    connections.clear();
    if (server) {
      const stopped = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      if (options.socketPath) rmSync(options.socketPath, { force: true });
    }
    resolveClosed();
    return closed;
  };

  /** Runs a command for a client; false once the server is quitting. */
  const run = (connection: Connection, input: { execute: string; arguments: Record<string, unknown>; id?: unknown }): boolean => {
    commandEvents = [];
    let reply: ReturnType<Permgraph['execute']> | undefined;
    try {
      reply = permgraph.execute({ execute: input.execute, arguments: input.arguments });
    } finally {
      const { beforeReply, afterReply } = splitAtReply(commandEvents);
      commandEvents = undefined;
      beforeReply.forEach(broadcast);
      if (reply) connection.send({ ...reply, ...(input.id !== undefined ? { id: input.id } : {}) });
      afterReply.forEach(broadcast);
    }
    if (!quitRequested) return true;
    void close();
    return false;
  };

  const attach = (transport: Transport): Connection => {
    const connection = new Connection(transport, (c, input) => {
      const going = run(c, input);
      if (!going) transport.end();
      return going;
    }, log);
    connections.add(connection);
    return connection;
  };

  if (options.stdio) {
    const { input, output } = options.stdio;
    const connection = attach({
      write: (text) => void output.write(text),
      backlog: () => output.writableLength,
      onDrain: (then) => void output.once('drain', then),
      pause: () => void input.pause(),
      resume: () => void input.resume(),
      end: () => undefined,
      destroy: () => void close(),
    });
    input.on('data', (chunk: Buffer | string) => connection.receive(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    input.on('end', () => void close());
  } else if (options.socketPath) {
    const path = options.socketPath;
    rmSync(path, { force: true });
    server = createServer((socket: Socket) => {
      if (stopping || sockets.size >= MAX_CLIENTS) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      const connection = attach({
        write: (text) => void socket.write(text),
        backlog: () => socket.writableLength,
        onDrain: (then) => void socket.once('drain', then),
        pause: () => void socket.pause(),
        resume: () => void socket.resume(),
        end: () => void socket.end(),
        destroy: () => void socket.destroy(),
      });
      const forget = (): void => {
        connection.close();
        connections.delete(connection);
        sockets.delete(socket);
        socket.removeAllListeners('data');
      };
      socket.on('data', (chunk: Buffer) => connection.receive(chunk));
      socket.on('error', forget);
      socket.on('close', forget);
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(path, () => resolve());
    });
  } else {
    throw new Error('startQmpServer: give socketPath or stdio');
  }
  return { closed, close };
}
