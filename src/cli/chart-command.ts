/** `permgraph chart node|job`: a machine's state chart, drawn from the machine's own definition. */
import { Argument, Option } from 'commander';
import { chartOf, type MachineName } from '../viz/charts.js';
import { chartToDot, chartToMermaid } from '../viz/machine-chart.js';
import { renderSvg } from '../viz/render-svg.js';
import type { RegisterCommand } from './command-kit.js';

export type ChartFormat = 'mermaid' | 'dot' | 'svg';

export async function chartText(machine: MachineName, format: ChartFormat): Promise<string> {
  const chart = chartOf(machine);
  if (format === 'mermaid') return chartToMermaid(chart);
  const dot = chartToDot(chart);
  return format === 'dot' ? dot : renderSvg(dot);
}

export async function chartCommand(machine: MachineName, format: ChartFormat, write: (text: string) => void): Promise<number> {
  write(await chartText(machine, format));
  return 0;
}

export const registerChartCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('chart')
    .description("draw a state machine (node: a block node's read-only state; job: a block job's life) from its definition")
    .addArgument(new Argument('<machine>', 'which machine').choices(['node', 'job']))
    .addOption(new Option('--format <format>', 'output').choices(['mermaid', 'dot', 'svg']).default('mermaid'))
    .action((machine: MachineName, options: { format: ChartFormat }) => {
      setExit(chartCommand(machine, options.format, io.stdout));
    });
};
