/** `permgraph graph FILE`: the block graph after one step of a scenario, as DOT or SVG. */
import { Option } from 'commander';
import type { Model } from '../graph/types.js';
import { loadScenario } from '../scenario/load.js';
import { playScenario, type StorageKind } from '../scenario/play.js';
import { stepViews } from '../view/step-views.js';
import { blockGraphDot } from '../viz/block-graph-dot.js';
import { GRAPH_LEGEND } from '../viz/graph-legend.js';
import { renderSvg } from '../viz/render-svg.js';
import { modelOption, storageOption, type RegisterCommand } from './command-kit.js';
import { UsageError } from './errors.js';

export interface GraphCommandOptions {
  /** The step after which to draw (0-based); the last when absent. */
  readonly step?: string;
  readonly model?: Model;
  readonly format: 'dot' | 'svg';
  readonly storage: StorageKind;
}

function stepIndex(text: string | undefined, count: number): number {
  if (text === undefined) return count - 1;
  if (!/^\d+$/.test(text) || Number(text) >= count) {
    throw new UsageError(`graph: --step ${text}: the scenario has steps 0 to ${count - 1}`);
  }
  return Number(text);
}

export async function graphCommand(file: string, options: GraphCommandOptions, write: (text: string) => void): Promise<number> {
  const scenario = loadScenario(file);
  if (scenario.steps.length === 0) throw new UsageError(`graph: ${file} has no steps`);
  const index = stepIndex(options.step, scenario.steps.length);
  const result = playScenario(scenario, file, options.model ?? scenario.model ?? 'dynamic', options.storage);
  const run = stepViews(result);
  result.permgraph.dispose();
  const dot = blockGraphDot(run.steps[index]!, { legend: true });
  write(options.format === 'dot' ? dot : await renderSvg(dot));
  return 0;
}

export const registerGraphCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('graph')
    .description('draw the block graph after a step of a scenario: nodes with ro, state and open mode, edges with perm and shared')
    .argument('<file>', 'the scenario')
    .option('--step <n>', 'after this step (0-based; default: the last)')
    .addOption(modelOption("read-only model (default: the scenario's, else dynamic)"))
    .addOption(new Option('--format <format>', 'output').choices(['dot', 'svg']).default('svg'))
    .addOption(storageOption('virtual or real files, as for run'))
    .addHelpText('after', `\n${GRAPH_LEGEND}`)
    .action((file: string, options: GraphCommandOptions) => {
      setExit(graphCommand(file, options, io.stdout));
    });
};
