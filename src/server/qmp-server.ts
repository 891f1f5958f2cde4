/**
 * `permgraph qmp`: a QMP server on a unix socket (several clients at once) or on stdio, in front
 * of one permgraph. Commands run one at a time in arrival order (execution is synchronous), QMP
 * events go to every negotiated client, jobs advance on the wall clock, and a client that
 * vanishes harms nothing.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { Subscription } from 'rxjs';
import type { Permgraph } from '../runtime/permgraph.js';
import { startWallClock } from '../runtime/wall-clock.js';
import { JsonSplitter } from './json-splitter.js';
import { checkInput, errorReply, eventMessage, GREETING, line } from './protocol.js';

export interface QmpServerOptions {
  readonly permgraph: Permgraph;
  readonly socketPath?: string;
  readonly stdio?: { readonly input: Readable; readonly output: Writable };
}

export interface QmpServer {
  /** Resolves once the server stopped (quit, or close()). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

interface Connection {
  negotiated: boolean;
  send(message: unknown): void;
}

export async function startQmpServer(options: QmpServerOptions): Promise<QmpServer> {
  const { permgraph } = options;
  const connections = new Set<Connection>();
  const sockets = new Set<Socket>();
  const clock = startWallClock(permgraph);
  let server: Server | undefined;
  let quitRequested = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const events: Subscription = permgraph.events$.subscribe((event) => {
    if (event.type === 'shutdown') quitRequested = true;
    if (event.type !== 'qmp.event') return;
    const message = eventMessage(event.event, event.data);
    for (const connection of connections) if (connection.negotiated) connection.send(message);
  });

  const close = async (): Promise<void> => {
    clock.stop();
    events.unsubscribe();
    if (server) {
      const stopped = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      if (options.socketPath) rmSync(options.socketPath, { force: true });
    }
    resolveClosed();
  };

  /** One connection: greeting, negotiation, then commands. */
  const attach = (write: (text: string) => void, end: () => void): { onData: (chunk: string) => void; connection: Connection } => {
    const connection: Connection = { negotiated: false, send: (message) => write(line(message)) };
    connections.add(connection);
    connection.send(GREETING);
    const splitter = new JsonSplitter();
    const onData = (chunk: string): void => {
      for (const piece of splitter.push(chunk)) {
        if ('error' in piece) {
          connection.send(errorReply(piece.error));
          continue;
        }
        const input = checkInput(piece.value);
        if (!('execute' in input)) {
          connection.send(input);
          continue;
        }
        const id = input.id !== undefined ? { id: input.id } : {};
        if (!connection.negotiated) {
          if (input.execute === 'qmp_capabilities') {
            connection.negotiated = true;
            connection.send({ return: {}, ...id });
          } else {
            connection.send(errorReply("Expecting capabilities negotiation with 'qmp_capabilities'", 'CommandNotFound', input.id));
          }
          continue;
        }
        const reply = permgraph.execute({ execute: input.execute, arguments: input.arguments });
        connection.send({ ...reply, ...id });
        if (quitRequested) {
          end();
          void close();
          return;
        }
      }
    };
    return { onData, connection };
  };

  if (options.stdio) {
    const { input, output } = options.stdio;
    const { onData } = attach((text) => output.write(text), () => undefined);
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => onData(chunk));
    input.on('end', () => void close());
  } else if (options.socketPath) {
    const path = options.socketPath;
    rmSync(path, { force: true });
    server = createServer((socket: Socket) => {
      sockets.add(socket);
      socket.setEncoding('utf8');
      let gone = false;
      const { onData, connection } = attach(
        (text) => {
          if (!gone) socket.write(text);
        },
        () => socket.end(),
      );
      const forget = (): void => {
        gone = true;
        connections.delete(connection);
        sockets.delete(socket);
      };
      socket.on('data', (chunk: string) => onData(chunk));
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
