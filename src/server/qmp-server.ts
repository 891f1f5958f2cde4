/**
 * `permgraph qmp`: a QMP server on a unix socket (several clients at once) or on stdio, in front
 * of one permgraph. Commands run one at a time in arrival order (execution is synchronous), QMP
 * events go to every negotiated client (event-relay.ts), jobs advance on the wall clock, and a
 * client that vanishes harms nothing. Each client is a Connection (qmp-connection.ts), brought by
 * a transport (qmp-transports.ts).
 */
import type { Readable, Writable } from 'node:stream';
import type { Subscription } from 'rxjs';
import type { Permgraph } from '../runtime/permgraph.js';
import { startWallClock, type WallClock } from '../runtime/wall-clock.js';
import { EventRelay } from './event-relay.js';
import { Connection, type CommandInput, type Transport } from './qmp-connection.js';
import { serveStdio, SocketListener, type ClientHost } from './qmp-transports.js';

export { OUTPUT_BACKLOG, OUTPUT_LIMIT } from './qmp-connection.js';
export { MAX_CLIENTS } from './qmp-transports.js';

export interface QmpServerOptions {
  readonly permgraph: Permgraph;
  /** A unix socket to listen on, or several (qemu-storage-daemon's monitors, one per chardev). */
  readonly socketPath?: string | readonly string[];
  readonly stdio?: { readonly input: Readable; readonly output: Writable };
  /** Where the server reports what it does to a client (disconnects); stderr by default. */
  readonly log?: (line: string) => void;
}

export interface QmpServer {
  /** Resolves once the server stopped (quit, or close()). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** The clients of one permgraph, the events relayed to them, and the clock its jobs run on. */
class QmpService implements ClientHost {
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly connections = new Set<Connection>();
  private readonly clock: WallClock;
  private readonly relay: EventRelay;
  private readonly listeners: SocketListener[] = [];
  private stopping = false;
  private readonly warnings: Subscription;

  constructor(
    permgraph: Permgraph,
    private readonly log: (line: string) => void,
  ) {
    this.clock = startWallClock(permgraph);
    this.closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
    this.relay = new EventRelay(permgraph, this.connections);
    // where the QEMU the model follows would have died, the server goes on and says so
    this.warnings = permgraph.events$.subscribe((event) => {
      if (event.type === 'qemu.failure') this.log(`permgraph qmp: warning: ${event.text}`);
    });
  }

  get accepting(): boolean {
    return !this.stopping;
  }

  async listen(path: string): Promise<void> {
    const listener = new SocketListener(path, this);
    this.listeners.push(listener);
    await listener.listening;
  }

  attach(transport: Transport): Connection {
    const connection = new Connection(transport, (c, input) => {
      const going = this.run(c, input);
      if (!going) transport.end();
      return going;
    }, this.log);
    this.connections.add(connection);
    return connection;
  }

  detach(connection: Connection): void {
    connection.close();
    this.connections.delete(connection);
  }

  async close(): Promise<void> {
    if (this.stopping) return this.closed;
    this.stopping = true;
    this.clock.stop();
    this.relay.stop();
    this.warnings.unsubscribe();
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    await Promise.all(this.listeners.map((listener) => listener.close()));
    this.resolveClosed();
    return this.closed;
  }

  /** Runs a command for a client; false once the server is quitting. */
  private run(connection: Connection, input: CommandInput): boolean {
    this.relay.run(connection, input);
    if (!this.relay.quitRequested) return true;
    void this.close();
    return false;
  }
}

export async function startQmpServer(options: QmpServerOptions): Promise<QmpServer> {
  const service = new QmpService(options.permgraph, options.log ?? ((text: string) => process.stderr.write(`${text}\n`)));
  if (options.stdio) serveStdio(options.stdio, service);
  else if (options.socketPath) for (const path of [options.socketPath].flat()) await service.listen(path);
  else throw new Error('startQmpServer: give socketPath or stdio');
  return { closed: service.closed, close: () => service.close() };
}
