/**
 * A state machine as a chart, read from the machine's own definition (states, descriptions,
 * transitions with their event, guard and action names), and that chart as Mermaid or DOT.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface ChartState {
  readonly id: string;
  readonly description: string;
  readonly final: boolean;
}

export interface ChartTransition {
  /** null: the machine's own handler, taken from any state. */
  readonly from: string | null;
  readonly to: string;
  /** The event type, or null for an eventless (always) transition. */
  readonly event: string | null;
  readonly guard: string | null;
  readonly actions: readonly string[];
}

export interface Chart {
  readonly id: string;
  readonly initial: string;
  readonly states: readonly ChartState[];
  readonly transitions: readonly ChartTransition[];
}

interface GuardLike {
  readonly type?: unknown;
  readonly name?: unknown;
  readonly guards?: readonly unknown[];
}

/** `hasWriters`, `and(autoReadOnly, dynamicModel)`, `not(hasWriters)`. */
export function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  const g = guard as GuardLike;
  if (Array.isArray(g.guards)) return `${String(g.name)}(${g.guards.map((inner) => guardName(inner) ?? '?').join(', ')})`;
  if (typeof g.type === 'string') return g.type;
  return typeof g.name === 'string' && g.name ? g.name : 'guard';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  const a = action as { type?: unknown; name?: unknown };
  if (typeof a.type === 'string') return a.type;
  return typeof a.name === 'string' && a.name ? a.name : 'action';
}

const localId = (machine: AnyStateMachine, node: AnyStateNode): string => node.id.slice(machine.root.id.length + 1);

interface TransitionLike {
  readonly target?: readonly AnyStateNode[] | undefined;
  readonly guard?: unknown;
  readonly actions?: readonly unknown[];
}

function transitionsOf(machine: AnyStateMachine, from: string | null, event: string | null, list: readonly TransitionLike[]): ChartTransition[] {
  return list.flatMap((t) =>
    (t.target ?? []).map((target) => ({
      from,
      to: localId(machine, target),
      event,
      guard: guardName(t.guard),
      actions: (t.actions ?? []).map(actionName),
    })),
  );
}

/** The chart of a flat machine (its top-level states). */
export function machineChart(machine: AnyStateMachine): Chart {
  const root = machine.root;
  const states = Object.values(root.states);
  const transitions: ChartTransition[] = [];
  for (const [event, list] of root.transitions) transitions.push(...transitionsOf(machine, null, event, list));
  for (const state of states) {
    const id = localId(machine, state);
    for (const [event, list] of state.transitions) transitions.push(...transitionsOf(machine, id, event, list));
    transitions.push(...transitionsOf(machine, id, null, state.always ?? []));
  }
  const initial = root.initial?.target[0];
  if (!initial) throw new Error(`machine ${root.id} has no initial state`);
  return {
    id: root.id,
    initial: localId(machine, initial),
    states: states.map((s) => ({ id: localId(machine, s), description: s.description ?? '', final: s.type === 'final' })),
    transitions,
  };
}

/** `perms.changed [hasWriters] / takeOptions`; an eventless transition reads `always`. */
export function transitionLabel(t: ChartTransition): string {
  return [t.event ?? 'always', t.guard ? `[${t.guard}]` : '', t.actions.length ? `/ ${t.actions.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
}

const ANY_STATE = 'any state';

function mermaidId(id: string): string {
  return `s_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const mermaidText = (text: string): string => text.replace(/"/g, "'").replace(/[:;]/g, ',').replace(/[<>]/g, '');

export function chartToMermaid(chart: Chart): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${mermaidId(chart.initial)}`];
  for (const s of chart.states) {
    lines.push(`  state "${mermaidText(s.id)}" as ${mermaidId(s.id)}`);
    if (s.description) lines.push(`  ${mermaidId(s.id)} : ${mermaidText(s.description)}`);
  }
  if (chart.transitions.some((t) => t.from === null)) lines.push(`  state "${ANY_STATE}" as any_state`);
  for (const t of chart.transitions) {
    lines.push(`  ${t.from === null ? 'any_state' : mermaidId(t.from)} --> ${mermaidId(t.to)} : ${mermaidText(transitionLabel(t))}`);
  }
  for (const s of chart.states) if (s.final) lines.push(`  ${mermaidId(s.id)} --> [*]`);
  return `${lines.join('\n')}\n`;
}

/** Text for inside a DOT string literal. */
export const dotEscape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
/** A DOT string literal. */
export const dotString = (text: string): string => `"${dotEscape(text)}"`;

/** Word-wraps a description for a node label. */
export function wrap(text: string, width = 28): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export interface ChartDotOptions {
  /** The state to light. */
  readonly active?: string;
  /** Descriptions in the states' labels (true), or only as tooltips (false: a compact chart). */
  readonly descriptions?: boolean;
  readonly rankdir?: 'LR' | 'TB';
}

/** The chart as DOT; each state's node id is its state name (the page finds it by `<title>`). */
export function chartToDot(chart: Chart, options: ChartDotOptions = {}): string {
  const lines = [
    `digraph ${dotString(chart.id)} {`,
    `  rankdir=${options.rankdir ?? 'LR'}; node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];`,
    '  edge [fontname="Helvetica", fontsize=9];',
    '  "__initial" [shape=point, width=0.15, label=""];',
    `  "__initial" -> ${dotString(chart.initial)};`,
  ];
  for (const s of chart.states) {
    const inLabel = options.descriptions !== false && s.description;
    const label = inLabel ? `${s.id}\n${wrap(s.description)}` : s.id;
    const tooltip = !inLabel && s.description ? `, tooltip=${dotString(s.description)}` : '';
    const lit = s.id === options.active ? ', fillcolor="#ffd54f", penwidth=2.5' : '';
    lines.push(`  ${dotString(s.id)} [label=${dotString(label)}${tooltip}${s.final ? ', peripheries=2' : ''}${lit}];`);
  }
  if (chart.transitions.some((t) => t.from === null)) {
    lines.push(`  "__any" [label=${dotString(ANY_STATE)}, shape=plaintext, style=""];`);
  }
  for (const t of chart.transitions) {
    const style = t.from === null ? ', style=dashed' : t.event === null ? ', style=dotted' : '';
    lines.push(`  ${dotString(t.from ?? '__any')} -> ${dotString(t.to)} [label=${dotString(transitionLabel(t))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
