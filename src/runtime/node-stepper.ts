/**
 * Advances a node's read-only machine as a pure function of (state, event).
 *
 * The machine is deterministic and its context is four flags, so every step is memoized: the
 * refresh can ask it on every node whose perms changed without paying for an xstate transition
 * each time. The machine stays the only place the behaviour is defined.
 */
import { initialTransition, transition } from 'xstate';
import { nodeMachine, type NodeMachine } from '../../machines/node.machine.js';
import {
  stepOf,
  type NodeEvent,
  type NodeMachineContext,
  type NodeMachineState,
  type NodeStateName,
  type NodeStep,
  type NodeStepper,
} from '../../machines/node.types.js';

type Snapshot = ReturnType<NodeMachine['resolveState']>;

/**
 * A state as the stepper hands it out: shared by every node in it, frozen, and a class instance
 * so that immer reads it through a draft as it is instead of drafting it.
 */
class SteppedState implements NodeMachineState {
  readonly context: NodeMachineContext;
  constructor(
    readonly value: NodeStateName,
    context: NodeMachineContext,
  ) {
    this.context = Object.freeze({ ...context });
    Object.freeze(this);
  }
}

/** A compact memo key: the machine sees only these. */
function key(state: NodeMachineState, event: NodeEvent | { readonly type: string }): string {
  const c = state.context;
  return `${state.value}|${c.model}|${+c.holdsFd}${+c.readOnly}${+c.autoReadOnly}|${eventKey(event)}`;
}

/** What of an event the machine looks at. */
function eventKey(event: NodeEvent | { readonly type: string }): string | number {
  if (event.type === 'perms.changed') return (event as { perm: number }).perm;
  if (event.type === 'options.changed') {
    const { readOnly, autoReadOnly } = event as { readOnly: boolean; autoReadOnly: boolean };
    return `${event.type}|${readOnly}/${autoReadOnly}`;
  }
  return event.type;
}

function toStep(snapshot: Snapshot): NodeStep {
  return stepOf(new SteppedState(snapshot.value as NodeStateName, snapshot.context), (tag) => snapshot.hasTag(tag));
}

export function createNodeStepper(machine: NodeMachine = nodeMachine): NodeStepper {
  const memo = new Map<string, NodeStep>();
  /** Initial steps by model, then by the three flags as bits. */
  const initials = new Map<NodeMachineContext['model'], NodeStep[]>();
  /** The same memo by the state object the stepper handed out (no key to build). */
  const byState = new WeakMap<NodeMachineState, Map<string | number, NodeStep>>();
  const remember = (state: NodeMachineState, event: NodeEvent | { readonly type: string }, compute: () => NodeStep): NodeStep => {
    const ek = eventKey(event);
    let steps = byState.get(state);
    const known = steps?.get(ek);
    if (known) return known;
    const k = key(state, event);
    let hit = memo.get(k);
    if (!hit) {
      hit = compute();
      memo.set(k, hit);
    }
    if (!steps) byState.set(state, (steps = new Map()));
    steps.set(ek, hit);
    return hit;
  };
  return {
    initial(context) {
      const flags = (context.holdsFd ? 4 : 0) + (context.readOnly ? 2 : 0) + (context.autoReadOnly ? 1 : 0);
      const byFlags = initials.get(context.model) ?? [];
      let hit = byFlags[flags];
      if (!hit) {
        const [snapshot] = initialTransition(machine, { ...context });
        hit = toStep(snapshot);
        byFlags[flags] = hit;
        initials.set(context.model, byFlags);
      }
      return hit;
    },
    describe(state) {
      return remember(state, { type: 'describe' }, () =>
        toStep(machine.resolveState({ value: state.value, context: { ...state.context } })),
      );
    },
    step(state, event) {
      return remember(state, event, () => {
        // plain copies: the state may be read from an immer draft that is revoked later
        const snapshot = machine.resolveState({ value: state.value, context: { ...state.context } });
        const [next] = transition(machine, snapshot, { ...event });
        return toStep(next);
      });
    },
  };
}

export const defaultNodeStepper: NodeStepper = createNodeStepper();
