/** What happens in a graph, as typed events (published by the runtime's events$). */
import type { NodeEvent, NodeMachineContext, NodeStateName } from '../../machines/node.machine.js';
import type { PermSet } from '../perms/perm.js';
import type { DriverName, EdgeId, NodeName } from '../graph/types.js';

export type ReopenDirection = 'read-write' | 'read-only';

export type GraphEvent =
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
  | { readonly type: 'shutdown' }
  | { readonly type: 'qmp.event'; readonly event: string; readonly data: Readonly<Record<string, unknown>> }
  | {
      readonly type: 'command.rejected';
      readonly command: string;
      readonly error: { readonly class: string; readonly desc: string };
    };
