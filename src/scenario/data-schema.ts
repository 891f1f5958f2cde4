/**
 * Data checked against a zod schema: the first problem becomes a ScenarioError that says where
 * and what (`x.yaml: steps[3].arguments: expected an object`).
 */
import type { z } from 'zod';
import { ScenarioError, shortKey, where } from './data-error.js';

/** The most telling issue of a failed parse: for a union (a step), the branch that got furthest. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((b) => b.length > 0);
    const best = branches.find((b) => b.every((i) => i.code !== 'unrecognized_keys')) ?? branches[0];
    const inner = best?.[0];
    if (inner) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
  }
  if (issue.code === 'unrecognized_keys') return `${where(issue.path) || '(top)'}: unknown field '${shortKey(String(issue.keys[0]))}'`;
  return `${where(issue.path) || '(top)'}: ${issue.message}`;
}

/** The data checked against the schema; the first problem is a ScenarioError. */
export function checkData<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new ScenarioError(`${file}: ${describeIssue(result.error.issues[0]!)}`);
  return result.data;
}
