/** A scenario file and the name its traces go by: its `name`, else the file's name. */
import { basename } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';

export interface ScenarioFile {
  readonly file: string;
  readonly name: string;
  readonly scenario: Scenario;
}

export const stem = (file: string): string => basename(file).replace(/\.(json|ya?ml)$/i, '');

export function readScenarioFile(file: string): ScenarioFile {
  const scenario = loadScenario(file);
  return { file, name: scenario.name ?? stem(file), scenario };
}
