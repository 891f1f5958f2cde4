/** `permgraph chart node|job`: a machine's state chart, drawn from the machine's own definition. */
import { chartOf, type MachineName } from '../viz/charts.js';
import { chartToDot, chartToMermaid } from '../viz/machine-chart.js';
import { renderSvg } from '../viz/render-svg.js';

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
