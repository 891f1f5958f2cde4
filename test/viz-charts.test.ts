import { describe, expect, it } from 'vitest';
import { createMachine, setup } from 'xstate';
import { jobMachine } from '../machines/job.machine.js';
import { nodeMachine } from '../machines/node.machine.js';
import { chartToDot, chartToMermaid, machineChart, transitionLabel } from '../src/viz/machine-chart.js';
import { renderSvg } from '../src/viz/render-svg.js';

describe('state charts from the machines', () => {
  it('has every state of the node machine, with its description, and every transition', () => {
    const chart = machineChart(nodeMachine);
    expect(chart.states.map((s) => s.id)).toEqual(Object.keys(nodeMachine.config.states ?? {}));
    expect(chart.initial).toBe('closed');
    const idle = chart.states.find((s) => s.id === 'idle');
    expect(idle?.description).toBe(nodeMachine.config.states?.['idle']?.description);
    const labels = chart.transitions.map((t) => `${t.from ?? '*'} -> ${t.to}: ${transitionLabel(t)}`);
    expect(labels).toContain('idle -> reopeningReadWrite: perms.changed [hasWriters]');
    expect(labels).toContain('active -> reopeningReadOnly: perms.changed [not(hasWriters)]');
    expect(labels).toContain('routing -> idle: always [and(autoReadOnly, dynamicModel)]');
    expect(labels).toContain('* -> routing: options.changed / takeOptions');
    expect(labels).toContain('* -> closed: close');
  });

  it("draws the job machine's cancel with its action and null as final", () => {
    const chart = machineChart(jobMachine);
    expect(chart.states.find((s) => s.id === 'null')?.final).toBe(true);
    const mermaid = chartToMermaid(chart);
    expect(mermaid).toMatch(/^stateDiagram-v2\n {2}\[\*\] --> s_undefined\n/);
    expect(mermaid).toContain('s_running --> s_aborting : job.cancel / markAborted');
    expect(mermaid).toContain('s_running --> s_ready : job.work-done [waitsForComplete]');
    expect(mermaid).toContain('s_null --> [*]');
    const dot = chartToDot(chart, { active: 'running' });
    expect(dot).toContain('"running" [label="running\\ncopying at its speed", fillcolor="#ffd54f", penwidth=2.5];');
    expect(dot).toContain('"null" [label="null\\ngone", peripheries=2];');
  });

  it('follows a change to a machine', () => {
    const before = createMachine({ id: 'm', initial: 'a', states: { a: { on: { go: 'b' } }, b: {} } });
    const guarded = setup({ guards: { ready: () => true } }).createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { on: { go: { guard: 'ready', target: 'c' } } }, b: {}, c: { description: 'new', type: 'final' } },
    });
    const one = chartToMermaid(machineChart(before));
    const two = chartToMermaid(machineChart(guarded));
    expect(one).toContain('s_a --> s_b : go');
    expect(two).not.toContain('s_a --> s_b');
    expect(two).toContain('s_a --> s_c : go [ready]');
    expect(two).toContain('s_c : new');
    expect(chartToDot(machineChart(before))).not.toEqual(chartToDot(machineChart(guarded)));
  });

  it('renders to SVG offline, one <title> per state', async () => {
    const svg = await renderSvg(chartToDot(machineChart(jobMachine)));
    expect(svg).toMatch(/^<\?xml/);
    for (const state of Object.keys(jobMachine.config.states ?? {})) expect(svg).toContain(`<title>${state}</title>`);
  });
});
