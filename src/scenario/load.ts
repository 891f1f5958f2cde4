/**
 * Reads a scenario file (JSON or YAML) and checks it. A problem becomes one line that says where
 * and what: `examples/x.yaml: steps[3].arguments: expected an object`.
 */
import { ScenarioError } from './data-error.js';
import { readDataFile } from './data-file.js';
import { checkData } from './data-schema.js';
import { parseDataText } from './data-text.js';
import { scenarioSchema, type Scenario } from './schema.js';

export { ScenarioError } from './data-error.js';

const STEP_KINDS = ['execute', 'wait-event', 'wait-job', 'advance', 'sleep', 'chmod'];
const SETUP_KINDS = ['qemu-img', 'qemu-io', 'chmod', 'chown', 'mkdir', 'touch', 'copy', 'ro-bind-mount', 'chattr-immutable', 'qemu-nbd'];

/** A step or setup step that is none of the known kinds gets a message that lists them. */
function checkKinds(data: unknown, file: string): void {
  if (!data || typeof data !== 'object') return;
  const { steps, setup } = data as { steps?: unknown; setup?: unknown };
  if (Array.isArray(steps)) {
    steps.forEach((step, i) => {
      if (step && typeof step === 'object' && !Array.isArray(step) && !STEP_KINDS.some((k) => k in step)) {
        throw new ScenarioError(`${file}: steps[${i}]: not a step: give one of ${STEP_KINDS.join(', ')}`);
      }
    });
  }
  if (Array.isArray(setup)) {
    setup.forEach((step, i) => {
      if (step && typeof step === 'object' && !Array.isArray(step) && !SETUP_KINDS.some((k) => k in step)) {
        const [op] = Object.keys(step);
        throw new ScenarioError(`${file}: setup[${i}]: unknown setup step '${op ?? ''}' (known: ${SETUP_KINDS.join(', ')})`);
      }
    });
  }
}

export function parseScenario(text: string, file: string): Scenario {
  const data = parseDataText(text, file);
  checkKinds(data, file);
  return checkData(scenarioSchema, data, file);
}

export function loadScenario(file: string): Scenario {
  return parseScenario(readDataFile(file), file);
}
