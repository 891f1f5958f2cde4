/** Everything the viewer shows for one scenario file: its run in every model, how each two differ, and the charts. */
import { basename } from 'node:path';
import { MODELS } from '../../machines/node.types.js';
import { loadScenario } from '../scenario/load.js';
import { playScenario, type StorageKind } from '../scenario/play.js';
import { chartOf } from '../viz/charts.js';
import { chartToDot } from '../viz/machine-chart.js';
import { comparePairs } from './model-difference.js';
import { stepViews } from './step-views.js';
import type { ChartView, ViewData } from './view-types.js';

function chartView(name: 'node' | 'job'): ChartView {
  const chart = chartOf(name);
  return { dot: chartToDot(chart, { descriptions: false, rankdir: 'TB' }), states: chart.states.map((s) => s.id) };
}

/** Bad input throws ScenarioError (from loadScenario). */
export function viewData(file: string, storage: StorageKind = 'auto'): ViewData {
  const scenario = loadScenario(file);
  const first = scenario.model ?? 'dynamic';
  const runs = [first, ...MODELS.filter((m) => m !== first)].map((model) => {
    const result = playScenario(scenario, file, model, storage);
    try {
      return stepViews(result);
    } finally {
      result.permgraph.dispose();
    }
  });
  return {
    file,
    name: scenario.name ?? basename(file).replace(/\.[^.]+$/, ''),
    description: scenario.description ?? '',
    runs,
    comparisons: comparePairs(runs),
    charts: { node: chartView('node'), job: chartView('job') },
  };
}
