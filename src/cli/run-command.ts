/** `permgraph run FILE`: replay a scenario and print its trace. */
import type { Model } from '../graph/types.js';
import { loadScenario } from '../scenario/load.js';
import { formatJson, formatText } from '../scenario/format.js';
import { playScenario, type StorageKind } from '../scenario/play.js';

export interface RunCommandOptions {
  readonly model?: Model;
  readonly format: 'text' | 'json';
  readonly storage: StorageKind;
  readonly checkInvariants?: boolean;
}

/** Returns the exit code: 0 all good, 1 an expectation failed or an invariant broke. Bad input throws ScenarioError. */
export function runCommand(file: string, options: RunCommandOptions, write: (text: string) => void): number {
  const scenario = loadScenario(file);
  const result = playScenario(scenario, file, options.model ?? scenario.model ?? 'dynamic', options.storage, options.checkInvariants === true);
  write(options.format === 'json' ? formatJson(result, file) : formatText(result, file));
  result.permgraph.dispose();
  return result.ok ? 0 : 1;
}
