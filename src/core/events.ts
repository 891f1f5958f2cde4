/** What happens in a graph, as typed events (published by the runtime's events$). */
import type { NodeEvent, NodeMachineContext, NodeStateName } from '../../machines/node.types.js';
import type { PermSet } from '../perms/perm.js';
import type { DriverName, EdgeId, NodeName } from '../graph/types.js';

export type ReopenDirection = 'read-write' | 'read-only';

/**
 * When an event happens relative to the reply of the command that caused it. QMP sends events
 * and replies on one stream, and QEMU answers a command before some of what it set off is done:
 *
 * - `sync` (or no phase): inside the command, before its reply;
 * - `deferred`: after the reply, where QEMU's main loop runs what the command only scheduled (a
 *   block job's coroutine running on and its job_exit(): e.g. a mirror's end after
 *   block-job-complete or block-job-cancel).
 *
 * A command's events are all published before execute() returns, every `sync` one before every
 * `deferred` one (the deferred work is a command's last step); whoever sends replies (the QMP
 * server) sends the command's `sync` events, then the reply, then its `deferred` events. Events of
 * a clock advance belong to no command. test/fixtures/job-event-timing.json is
 * qemu-storage-daemon 7.2's answer for every job command.
 */
export type EventPhase = 'sync' | 'deferred';

export type GraphEvent = GraphEventBody & { readonly phase?: EventPhase };

export const eventPhase = (event: GraphEvent): EventPhase => event.phase ?? 'sync';

/** A command's events split where its reply goes: what comes before it and what after. */
export function splitAtReply<E extends GraphEvent>(events: readonly E[]): { readonly beforeReply: E[]; readonly afterReply: E[] } {
  return {
    beforeReply: events.filter((e) => eventPhase(e) === 'sync'),
    afterReply: events.filter((e) => eventPhase(e) === 'deferred'),
  };
}

type GraphEventBody =
  | {
      readonly type: 'node.added';
      readonly node: NodeName;
      readonly driver: DriverName;
      /** The machine's context at open (what a node actor starts from). */
      readonly machine: NodeMachineContext;
    }
  | { readonly type: 'node.removed'; readonly node: NodeName }
  | {
      readonly type: 'edge.attached' | 'edge.detached';
      readonly edge: EdgeId;
      readonly parent: string;
      readonly child: NodeName;
      readonly name: string;
    }
  | {
      readonly type: 'edge.moved';
      readonly edge: EdgeId;
      readonly parent: string;
      readonly name: string;
      readonly from: NodeName;
      readonly to: NodeName;
    }
  | {
      readonly type: 'perms.changed';
      readonly edge: EdgeId;
      readonly parent: string;
      readonly child: NodeName;
      readonly name: string;
      readonly perm: PermSet;
      readonly shared: PermSet;
      readonly previous: { readonly perm: PermSet; readonly shared: PermSet };
    }
  | {
      readonly type: 'node.machine';
      readonly node: NodeName;
      readonly event: NodeEvent;
      readonly from: NodeStateName;
      readonly to: NodeStateName;
    }
  | { readonly type: 'reopen.started' | 'reopen.done'; readonly node: NodeName; readonly direction: ReopenDirection }
  | {
      readonly type: 'reopen.failed';
      readonly node: NodeName;
      readonly direction: ReopenDirection;
      readonly reason: string;
    }
  /**
   * An NBD client node negotiated with a server (its open, or model dynamic's new negotiation for
   * a writer). Published by a refused command too: the negotiation happened, and the server saw
   * its client leave.
   */
  | { readonly type: 'nbd.negotiated'; readonly node: NodeName; readonly serverId: string }
  | { readonly type: 'shutdown' }
  /**
   * The QEMU the model follows is known to abort or crash on this step, or (`atExit`) when it
   * quits after it; permgraph goes on (src/commands/known-failures.ts).
   */
  | { readonly type: 'qemu.failure'; readonly failure: string; readonly text: string; readonly signal: 'SIGABRT' | 'SIGSEGV'; readonly atExit?: true }
  | { readonly type: 'qmp.event'; readonly event: string; readonly data: Readonly<Record<string, unknown>> }
  | {
      readonly type: 'command.rejected';
      readonly command: string;
      readonly error: { readonly class: string; readonly desc: string };
    };
