/**
 * A permgraph's QMP events, sent to every negotiated client: as they come between commands, and a
 * command's own held until it has run, then sent either side of its reply, as QEMU sends them
 * (see core/events.ts). A `shutdown` event is remembered: the server then quits.
 */
import type { Subscription } from 'rxjs';
import { splitAtReply, type GraphEvent } from '../core/events.js';
import type { Permgraph } from '../runtime/permgraph.js';
import type { CommandInput, Connection } from './qmp-connection.js';
import { eventMessage } from './protocol.js';

export class EventRelay {
  /** A client asked the permgraph to quit. */
  quitRequested = false;
  /** The events of the command being run, held until its reply is out; none between commands. */
  private commandEvents: GraphEvent[] | undefined;
  private readonly subscription: Subscription;

  constructor(
    private readonly permgraph: Permgraph,
    private readonly connections: ReadonlySet<Connection>,
  ) {
    this.subscription = permgraph.events$.subscribe((event) => {
      if (event.type === 'shutdown') this.quitRequested = true;
      if (this.commandEvents) this.commandEvents.push(event);
      else this.broadcast(event);
    });
  }

  /** Runs a command for a client: the events before its reply, the reply to the client, the events after. */
  run(connection: Connection, input: CommandInput): void {
    this.commandEvents = [];
    let reply: ReturnType<Permgraph['execute']> | undefined;
    try {
      reply = this.permgraph.execute({ execute: input.execute, arguments: input.arguments });
    } finally {
      const { beforeReply, afterReply } = splitAtReply(this.commandEvents);
      this.commandEvents = undefined;
      beforeReply.forEach(this.broadcast);
      if (reply) connection.send({ ...reply, ...(input.id !== undefined ? { id: input.id } : {}) });
      afterReply.forEach(this.broadcast);
    }
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private readonly broadcast = (event: GraphEvent): void => {
    if (event.type !== 'qmp.event') return;
    const message = eventMessage(event.event, event.data);
    for (const connection of this.connections) if (connection.negotiated) connection.send(message);
  };
}
