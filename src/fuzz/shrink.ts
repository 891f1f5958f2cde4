/**
 * Shrinking a sequence that shows a difference: drop steps (runs of them first, then one at a
 * time, the last first), then drop optional arguments, keeping each change only if a difference
 * is still there. Each try costs a run on the daemon, so the tries are counted and bounded.
 */
import type { Scenario, Step } from '../scenario/schema.js';

/** Whether a candidate still differs (a run on both sides). */
export type StillDiffers = (candidate: Scenario) => Promise<boolean>;

/**
 * Arguments a step cannot do without: the command would be another one, or (a job's `speed`) a
 * job could end between two observations, a race in place of the difference.
 */
const KEPT = new Set(['driver', 'node-name', 'filename', 'file', 'id', 'job-id', 'device', 'type', 'qom-type', 'target', 'sync', 'options', 'size', 'addr', 'speed']);

interface Budget {
  tries: number;
}

async function attempt(candidate: Scenario, stillDiffers: StillDiffers, budget: Budget): Promise<boolean> {
  if (budget.tries <= 0) return false;
  budget.tries--;
  return stillDiffers(candidate);
}

const withSteps = (scenario: Scenario, steps: readonly Step[]): Scenario => ({ ...scenario, steps: [...steps] });

async function dropSteps(scenario: Scenario, stillDiffers: StillDiffers, budget: Budget): Promise<Scenario> {
  let current = scenario;
  for (let chunk = Math.max(1, current.steps.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = current.steps.length - chunk; at >= 0; at--) {
      if (current.steps.length <= 1) return current;
      const steps = [...current.steps.slice(0, at), ...current.steps.slice(at + chunk)];
      const candidate = withSteps(current, steps);
      if (steps.length > 0 && (await attempt(candidate, stillDiffers, budget))) {
        current = candidate;
        at = Math.min(at, current.steps.length - chunk + 1);
      }
    }
  }
  return current;
}

async function dropArguments(scenario: Scenario, stillDiffers: StillDiffers, budget: Budget): Promise<Scenario> {
  let current = scenario;
  for (let i = 0; i < current.steps.length; i++) {
    const step = current.steps[i]!;
    if (!('execute' in step) || !step.arguments) continue;
    for (const key of Object.keys(step.arguments)) {
      if (KEPT.has(key)) continue;
      const { [key]: _dropped, ...rest } = (current.steps[i] as { arguments: Record<string, unknown> }).arguments;
      const steps = current.steps.map((s, j) => (j === i ? { ...step, arguments: rest } : s));
      const candidate = withSteps(current, steps);
      if (await attempt(candidate, stillDiffers, budget)) current = candidate;
    }
  }
  return current;
}

/** The smallest sequence found within `maxTries` runs that still shows a difference. */
export async function shrinkScenario(scenario: Scenario, stillDiffers: StillDiffers, maxTries = 80): Promise<Scenario> {
  const budget: Budget = { tries: maxTries };
  const fewer = await dropSteps(scenario, stillDiffers, budget);
  return dropArguments(fewer, stillDiffers, budget);
}
