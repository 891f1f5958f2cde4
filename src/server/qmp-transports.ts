/**
 * How clients reach the QMP server: a unix socket that takes up to MAX_CLIENTS at once (more are
 * closed at once), or the one client on stdin and stdout. Each client is a Transport for a
 * Connection; what a client leaves behind when it goes is forgotten.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Connection, Transport } from './qmp-connection.js';

/** Clients served at once on a socket; more are closed at once. */
export const MAX_CLIENTS = 256;

/** What serves the clients a transport brings. */
export interface ClientHost {
  /** False once the server is stopping. */
  readonly accepting: boolean;
  attach(transport: Transport): Connection;
  /** A client that went away. */
  detach(connection: Connection): void;
  close(): Promise<void>;
}

function socketTransport(socket: Socket): Transport {
  return {
    write: (text) => void socket.write(text),
    backlog: () => socket.writableLength,
    onDrain: (then) => void socket.once('drain', then),
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    end: () => void socket.end(),
    destroy: () => void socket.destroy(),
  };
}

/** A unix socket listening for clients; the path is removed before and after. */
export class SocketListener {
  readonly listening: Promise<void>;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly path: string,
    private readonly host: ClientHost,
  ) {
    rmSync(path, { force: true });
    this.server = createServer((socket: Socket) => this.accept(socket));
    this.listening = new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => resolve());
    });
  }

  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await stopped;
    rmSync(this.path, { force: true });
  }

  private accept(socket: Socket): void {
    if (!this.host.accepting || this.sockets.size >= MAX_CLIENTS) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    const connection = this.host.attach(socketTransport(socket));
    const forget = (): void => {
      this.host.detach(connection);
      this.sockets.delete(socket);
      socket.removeAllListeners('data');
    };
    socket.on('data', (chunk: Buffer) => connection.receive(chunk));
    socket.on('error', forget);
    socket.on('close', forget);
  }
}

/** The one client on stdin and stdout; the server stops when input ends. */
export function serveStdio({ input, output }: { readonly input: Readable; readonly output: Writable }, host: ClientHost): void {
  const connection = host.attach({
    write: (text) => void output.write(text),
    backlog: () => output.writableLength,
    onDrain: (then) => void output.once('drain', then),
    pause: () => void input.pause(),
    resume: () => void input.resume(),
    end: () => undefined,
    destroy: () => void host.close(),
  });
  input.on('data', (chunk: Buffer | string) => connection.receive(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  input.on('end', () => void host.close());
}
