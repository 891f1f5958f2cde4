/**
 * The scenario file format: a superset of the shared oracle's (name, description, setup, steps),
 * in JSON or YAML. Checked with zod; every issue carries the path of the field it is about.
 */
import { z } from 'zod';
import { MODELS } from '../../machines/node.types.js';

/** A map as it was read, with every key it has (zod's record would drop a `__proto__` key). */
const plainObject = z.custom<Record<string, unknown>>(
  (value) => !!value && typeof value === 'object' && !Array.isArray(value),
  'Invalid input: expected an object',
);
const json = plainObject;

/** The first issue of a failed check, with the path of the item it is about put in front. */
function firstIssue(ctx: z.core.$RefinementCtx, key: string | number, error: z.ZodError): never {
  const issue = error.issues[0]!;
  ctx.addIssue({ ...issue, path: [key, ...issue.path] } as z.core.$ZodRawIssue);
  return z.NEVER;
}

/**
 * A list checked item by item up to the first bad one, so that a long list of bad items costs one
 * issue and not one per item.
 */
export function listOf<T extends z.ZodType>(item: T, min = 0) {
  return z
    .array(z.unknown())
    .min(min)
    .transform((items, ctx): z.output<T>[] => {
      const out: z.output<T>[] = [];
      for (let i = 0; i < items.length; i++) {
        const result = item.safeParse(items[i]);
        if (!result.success) return firstIssue(ctx, i, result.error);
        out.push(result.data);
      }
      return out;
    });
}

/** A map from names to items, checked like listOf. */
export function recordOf<T extends z.ZodType>(item: T) {
  return plainObject.transform((entries, ctx): Record<string, z.output<T>> => {
    const out: [string, z.output<T>][] = [];
    for (const [key, value] of Object.entries(entries)) {
      const result = item.safeParse(value);
      if (!result.success) return firstIssue(ctx, key, result.error);
      out.push([key, result.data]);
    }
    // as own properties, even `__proto__`
    return Object.fromEntries(out) as Record<string, z.output<T>>;
  });
}

export const virtualFileSchema = z.strictObject({
  format: z.enum(['raw', 'qcow2']).optional(),
  size: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+[kKMGT]?$/, 'a size like 64M')]).optional(),
  'backing-file': z.string().optional(),
  'backing-format': z.enum(['raw', 'qcow2']).optional(),
  writable: z.union([z.boolean(), z.string()]).optional(),
  readable: z.union([z.boolean(), z.string()]).optional(),
});

const expectSchema = z.union([
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ class: z.string().optional(), desc: z.string() }),
  z.strictObject({ desc_contains: z.string() }),
  z.strictObject({ return: z.unknown() }),
]);

const common = { note: z.string().optional(), observe: z.boolean().optional(), timeout: z.number().positive().optional() };

export const qmpStepSchema = z.strictObject({
  execute: z.string().min(1),
  arguments: json.optional(),
  expect: expectSchema.optional(),
  ...common,
});

export const waitEventStepSchema = z.strictObject({
  'wait-event': z.string().min(1),
  data: json.optional(),
  ...common,
});

export const waitJobStepSchema = z.strictObject({
  'wait-job': z.string().min(1),
  status: listOf(z.string(), 1),
  ...common,
});

export const advanceStepSchema = z.strictObject({ advance: z.number().nonnegative(), ...common });
export const sleepStepSchema = z.strictObject({ sleep: z.number().nonnegative(), ...common });
/** The storage changing under a running daemon (as `chmod` in setup, but between commands). */
export const chmodStepSchema = z.strictObject({
  chmod: z.tuple([z.string(), z.string().regex(/^[0-7]{3,4}$/, 'an octal mode like 0444')]),
  ...common,
});

export const stepSchema = z.union([qmpStepSchema, waitEventStepSchema, waitJobStepSchema, advanceStepSchema, sleepStepSchema, chmodStepSchema]);

const argv = z.union([listOf(z.string()), z.string()]);

export const setupStepSchema = z.union([
  z.strictObject({ 'qemu-img': listOf(z.string(), 1) }),
  z.strictObject({ 'qemu-io': listOf(z.string(), 1) }),
  z.strictObject({ chmod: z.tuple([z.string(), z.string().regex(/^[0-7]{3,4}$/, 'an octal mode like 0444')]) }),
  z.strictObject({ chown: listOf(z.string()) }),
  z.strictObject({ mkdir: argv }),
  z.strictObject({ touch: argv }),
  z.strictObject({ copy: z.tuple([z.string(), z.string()]) }),
  z.strictObject({ 'ro-bind-mount': z.tuple([z.string(), z.string()]) }),
  z.strictObject({ 'chattr-immutable': z.string() }),
  z.strictObject({ 'qemu-nbd': listOf(z.string()) }),
]);

export const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  as_user: z.string().optional(),
  model: z.enum(MODELS).optional(),
  /** Check the invariant catalogue after every step (as `permgraph run --check-invariants`). */
  'check-invariants': z.boolean().optional(),
  files: recordOf(virtualFileSchema).optional(),
  setup: listOf(setupStepSchema).optional(),
  steps: listOf(stepSchema),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = z.infer<typeof stepSchema>;
export type SetupStep = z.infer<typeof setupStepSchema>;
export type Expectation = z.infer<typeof expectSchema>;
