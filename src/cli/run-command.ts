/** `permgraph run FILE`: replay a scenario and print its trace. */
import { basename } from 'node:path';
import type { Model } from '../graph/types.js';
import { loadScenario } from '../scenario/load.js';
import { formatJson, formatText } from '../scenario/format.js';
import { runScenario } from '../scenario/run.js';
import { virtualStorageFor } from '../scenario/virtual-setup.js';
import { createRealStorage } from '../storage/real-storage.js';

export interface RunCommandOptions {
  readonly model?: Model;
  readonly format: 'text' | 'json';
  readonly storage: 'auto' | 'virtual' | 'real';
  readonly checkInvariants?: boolean;
}

/** Returns the exit code: 0 all good, 1 an expectation failed or an invariant broke. Bad input throws ScenarioError. */
export function runCommand(file: string, options: RunCommandOptions, write: (text: string) => void): number {
  const scenario = loadScenario(file);
  const model = options.model ?? scenario.model ?? 'dynamic';
  const virtual = options.storage === 'virtual' || (options.storage === 'auto' && (scenario.files || scenario.setup));
  const workdir = virtual ? `/scenario/${scenario.name ?? basename(file).replace(/\.[^.]+$/, '')}` : process.cwd();
  const storage = virtual ? virtualStorageFor(scenario, workdir, file) : createRealStorage();
  const result = runScenario(scenario, { model, storage, workdir, checkInvariants: options.checkInvariants === true });
  write(options.format === 'json' ? formatJson(result, file) : formatText(result, file));
  result.permgraph.dispose();
  return result.ok ? 0 : 1;
}
