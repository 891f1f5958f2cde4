/**
 * What the node chart (node.machine.ts) speaks, as plain types and names: its context (the
 * model and the node's read-only options, stored nowhere else), its events, its state names and
 * its tags. The core reads a node's state through these and an injected stepper, never through
 * xstate; so this file imports nothing that runs.
 */
import type { PermSet } from '../src/perms/perm.js';

/** The read-only models, the default first: adding one here adds it to the CLI, files and viewer. */
export const MODELS = ['dynamic', 'qemu-7.2', 'qemu-10.0'] as const;

export type Model = (typeof MODELS)[number];

export interface NodeMachineContext {
  readonly model: Model;
  /** The node holds a file descriptor of its own (the file-posix protocol driver). */
  readonly holdsFd: boolean;
  /** The `read-only` option. */
  readonly readOnly: boolean;
  /** The `auto-read-only` option. */
  readonly autoReadOnly: boolean;
}

export type NodeMachineInput = NodeMachineContext;

export type NodeEvent =
  | { readonly type: 'open' }
  | { readonly type: 'perms.changed'; readonly perm: PermSet }
  | { readonly type: 'reopen.done' }
  | { readonly type: 'reopen.failed' }
  | { readonly type: 'options.changed'; readonly readOnly: boolean; readonly autoReadOnly: boolean }
  | { readonly type: 'close' };

export type NodeStateName =
  | 'closed'
  | 'routing'
  | 'readOnly'
  | 'readWrite'
  | 'idle'
  | 'reopeningReadWrite'
  | 'active'
  | 'reopeningReadOnly'
  | 'fdIdle'
  | 'fdReopeningReadWrite'
  | 'fdActive'
  | 'fdReopeningReadOnly'
  | 'roFdIdle'
  | 'roFdReopeningReadWrite'
  | 'roFdActive'
  | 'roFdReopeningReadOnly';

/** The tags of the node chart: what a state shows and which effect it asks of the core. */
export const NODE_TAGS = {
  /** QMP's `ro`. */
  readOnly: 'read-only',
  /** A file node's descriptor is open O_RDWR (else O_RDONLY). */
  fdReadWrite: 'fd-read-write',
  /** Read-only now, but the first writer reopens it read-write. */
  followsWriters: 'follows-writers',
  /** Read-only, and a writer cannot change that: only a reopen with new options does. */
  refusesWriters: 'refuses-writers',
  /** The core is to reopen the node read-write now, and answer `reopen.done` or `reopen.failed`. */
  reopenReadWrite: 'reopen-read-write',
  /** The core is to reopen the node read-only now, and answer `reopen.done` or `reopen.failed`. */
  reopenReadOnly: 'reopen-read-only',
} as const;

export type ReopenDirection = 'read-write' | 'read-only';

/** A node's chart state as a snapshot stores it. */
export interface NodeMachineState {
  readonly value: NodeStateName;
  readonly context: NodeMachineContext;
}

/** A state and what its tags say. */
export interface NodeStep {
  readonly state: NodeMachineState;
  /** QMP's `ro`. */
  readonly readOnly: boolean;
  /** A file node's descriptor is open O_RDWR (else O_RDONLY). */
  readonly fdReadWrite: boolean;
  /** Read-only only for want of a writer: a writer would reopen it read-write. */
  readonly followsWriters: boolean;
  /** Read-only, and a writer would be refused. */
  readonly refusesWriters: boolean;
  /** The reopen this state asks the core to try, if any. */
  readonly reopen: ReopenDirection | null;
}

/** The chart as a pure function of (state, event): what the core is handed. */
export interface NodeStepper {
  initial(context: NodeMachineContext): NodeStep;
  /** What a state shows (its tags), without an event. */
  describe(state: NodeMachineState): NodeStep;
  step(state: NodeMachineState, event: NodeEvent): NodeStep;
}

/** What a state's tags say. */
export function stepOf(state: NodeMachineState, hasTag: (tag: string) => boolean): NodeStep {
  return {
    state,
    readOnly: hasTag(NODE_TAGS.readOnly),
    fdReadWrite: hasTag(NODE_TAGS.fdReadWrite),
    followsWriters: hasTag(NODE_TAGS.followsWriters),
    refusesWriters: hasTag(NODE_TAGS.refusesWriters),
    reopen: hasTag(NODE_TAGS.reopenReadWrite) ? 'read-write' : hasTag(NODE_TAGS.reopenReadOnly) ? 'read-only' : null,
  };
}
