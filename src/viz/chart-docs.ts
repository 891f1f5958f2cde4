/** The generated chart pages of docs/: docs/<machine>-machine.md (Mermaid) and .svg. */
import { chartOf, type MachineName } from './charts.js';
import { chartToDot, chartToMermaid, transitionLabel } from './machine-chart.js';
import { renderSvg } from './render-svg.js';

const TITLES: Readonly<Record<MachineName, string>> = {
  node: "The node machine: a block node's read-only state (machines/node.machine.ts)",
  job: "The job machine: a block job's life, as QEMU 7.2's job.c runs it (machines/job.machine.ts)",
};

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function chartMarkdown(machine: MachineName): string {
  const chart = chartOf(machine);
  const lines = [
    `# ${TITLES[machine]}`,
    '',
    `Generated from the machine's definition by \`permgraph chart ${machine}\`; a test keeps this page and`,
    `[${machine}-machine.svg](${machine}-machine.svg) current (\`PERMGRAPH_UPDATE_DOCS=1 npx vitest run test/docs-charts.test.ts\` rewrites them).`,
    '',
    '```mermaid',
    chartToMermaid(chart).trimEnd(),
    '```',
    '',
    `![${machine} machine](${machine}-machine.svg)`,
    '',
    '| state | description |',
    '|---|---|',
    ...chart.states.map((s) => `| \`${s.id}\` | ${cell(s.description)} |`),
    '',
    '| from | to | on |',
    '|---|---|---|',
    ...chart.transitions.map((t) => `| ${t.from === null ? 'any state' : `\`${t.from}\``} | \`${t.to}\` | ${cell(transitionLabel(t))} |`),
    '',
  ];
  return lines.join('\n');
}

export const chartSvg = (machine: MachineName): Promise<string> => renderSvg(chartToDot(chartOf(machine)));
