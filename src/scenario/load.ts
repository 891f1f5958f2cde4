/**
 * Reads a scenario file (JSON or YAML) and checks it. A problem becomes one line that says where
 * and what: `examples/x.yaml: steps[3].arguments: expected an object`.
 */
import { readDataFile } from './data-file.js';
import { checkData } from './data-schema.js';
import { parseDataText } from './data-text.js';
import { scenarioSchema, type Scenario } from './schema.js';

export { ScenarioError } from './data-error.js';

export function parseScenario(text: string, file: string): Scenario {
  return checkData(scenarioSchema, parseDataText(text, file), file);
}

export function loadScenario(file: string): Scenario {
  return parseScenario(readDataFile(file), file);
}
