/**
 * Advances a node's read-only machine as a pure function of (state, event).
 *
 * The machine is deterministic and its context is four flags, so every step is memoized: the
 * refresh can ask it on every node whose perms changed without paying for an xstate transition
 * each time. The machine stays the only place the behaviour is defined.
 */
import { initialTransition, transition } from 'xstate';
import {
  NODE_TAGS,
  nodeMachine,
  type NodeEvent,
  type NodeMachine,
  type NodeMachineContext,
  type NodeStateName,
} from '../../machines/node.machine.js';

export interface NodeMachineState {
  readonly value: NodeStateName;
  readonly context: NodeMachineContext;
}

export interface NodeStep {
  readonly state: NodeMachineState;
  /** QMP's `ro`. */
  readonly readOnly: boolean;
  /** A file node's descriptor is open O_RDWR (else O_RDONLY). */
  readonly fdReadWrite: boolean;
  /** Read-only only for want of a writer: a writer would reopen it read-write. */
  readonly followsWriters: boolean;
}

export interface NodeStepper {
  readonly machine: NodeMachine;
  initial(context: NodeMachineContext): NodeStep;
  /** What a state shows (its tags), without an event. */
  describe(state: NodeMachineState): NodeStep;
  step(state: NodeMachineState, event: NodeEvent): NodeStep;
}

type Snapshot = ReturnType<NodeMachine['resolveState']>;

/** A compact memo key: the machine sees only these. */
function key(state: NodeMachineState, event: NodeEvent | { readonly type: string }): string {
  const c = state.context;
  const payload =
    event.type === 'perms.changed' ? (event as { perm: number }).perm
    : event.type === 'options.changed' ? `${(event as { readOnly: boolean }).readOnly}/${(event as { autoReadOnly: boolean }).autoReadOnly}`
    : '';
  return `${state.value}|${c.model}|${+c.holdsFd}${+c.readOnly}${+c.autoReadOnly}|${event.type}|${payload}`;
}

function toStep(snapshot: Snapshot): NodeStep {
  return {
    state: { value: snapshot.value as NodeStateName, context: snapshot.context },
    readOnly: snapshot.hasTag(NODE_TAGS.readOnly),
    fdReadWrite: snapshot.hasTag(NODE_TAGS.fdReadWrite),
    followsWriters: snapshot.hasTag(NODE_TAGS.followsWriters),
  };
}

export function createNodeStepper(machine: NodeMachine = nodeMachine): NodeStepper {
  const memo = new Map<string, NodeStep>();
  return {
    machine,
    initial(context) {
      const k = key({ value: 'closed', context }, { type: 'init' });
      let hit = memo.get(k);
      if (!hit) {
        const [snapshot] = initialTransition(machine, { ...context });
        hit = toStep(snapshot);
        memo.set(k, hit);
      }
      return hit;
    },
    describe(state) {
      const k = key(state, { type: 'describe' });
      let hit = memo.get(k);
      if (!hit) {
        hit = toStep(machine.resolveState({ value: state.value, context: { ...state.context } }));
        memo.set(k, hit);
      }
      return hit;
    },
    step(state, event) {
      const k = key(state, event);
      let hit = memo.get(k);
      if (!hit) {
        // plain copies: the state may be read from an immer draft that is revoked later
        const snapshot = machine.resolveState({ value: state.value, context: { ...state.context } });
        const [next] = transition(machine, snapshot, { ...event });
        hit = toStep(next);
        memo.set(k, hit);
      }
      return hit;
    },
  };
}

export const defaultNodeStepper: NodeStepper = createNodeStepper();
