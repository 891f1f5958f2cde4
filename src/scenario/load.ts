/**
 * Reads a scenario file (JSON or YAML) and checks it. A problem becomes one line that says where
 * and what: `examples/x.yaml: steps[3].arguments: expected an object`.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema.js';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** The most telling issue of a failed parse: for a step, the branch that got furthest. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((b) => b.length > 0);
    const best = branches.find((b) => b.every((i) => i.code !== 'unrecognized_keys')) ?? branches[0];
    const inner = best?.[0];
    if (inner) {
      const nested = describeIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
      return nested;
    }
  }
  if (issue.code === 'unrecognized_keys') return `${where(issue.path) || '(top)'}: unknown field '${issue.keys[0]}'`;
  return `${where(issue.path) || '(top)'}: ${issue.message}`;
}

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
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new ScenarioError(`${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${message}`);
  }
  checkKinds(data, file);
  const result = scenarioSchema.safeParse(data);
  if (!result.success) throw new ScenarioError(`${file}: ${describeIssue(result.error.issues[0]!)}`);
  return result.data;
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new ScenarioError(`${file}: cannot read: ${why}`);
  }
  return parseScenario(text, file);
}
