/**
 * Reading a JSON or YAML data file (a scenario, a universe) and checking it with a zod schema. A
 * problem becomes one line that says where and what: `x.yaml: steps[3].arguments: expected an object`.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** The file's text; an unreadable file is a ScenarioError. */
export function readDataFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new ScenarioError(`${file}: cannot read: ${why}`);
  }
}

/** The text as data, YAML for a .yaml or .yml file, else JSON. */
export function parseDataText(text: string, file: string): unknown {
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** The most telling issue of a failed parse: for a union (a step), the branch that got furthest. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((b) => b.length > 0);
    const best = branches.find((b) => b.every((i) => i.code !== 'unrecognized_keys')) ?? branches[0];
    const inner = best?.[0];
    if (inner) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
  }
  if (issue.code === 'unrecognized_keys') return `${where(issue.path) || '(top)'}: unknown field '${issue.keys[0]}'`;
  return `${where(issue.path) || '(top)'}: ${issue.message}`;
}

/** The data checked against the schema; the first problem is a ScenarioError. */
export function checkData<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new ScenarioError(`${file}: ${describeIssue(result.error.issues[0]!)}`);
  return result.data;
}
