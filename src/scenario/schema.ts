/**
 * The scenario file format: a superset of the shared oracle's (name, description, setup, steps),
 * in JSON or YAML. Checked with zod; every issue carries the path of the field it is about, and
 * a field no object of the format knows is named: `steps[0].expect: unknown field 'oops' (…)`.
 */
import { z } from 'zod';
import { MODELS } from '../../machines/node.types.js';
import { shortKey } from './data-error.js';

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

type Branch = z.ZodObject;

/**
 * Objects told apart by the key they have (`execute`, `wait-event`, … for a step; `ok`, `desc`, …
 * for an expect): the first branch whose key the object has checks it, so that a bad or unknown
 * field is named by that branch's own check rather than lost among the union's. An object with
 * none of the keys gets `none(unknown)`, where `unknown` is its first key that no branch knows.
 */
export function keyedUnion<const B extends readonly (readonly [string, Branch])[]>(
  branches: B,
  none: (unknown: string | undefined) => string,
) {
  const known = new Set(branches.flatMap(([, branch]) => Object.keys(branch.shape)));
  return plainObject.transform((data, ctx): z.output<B[number][1]> => {
    const branch = branches.find(([key]) => Object.hasOwn(data, key));
    if (!branch) {
      const unknown = Object.keys(data).find((key) => !known.has(key));
      ctx.addIssue({ code: 'custom', message: none(unknown === undefined ? undefined : shortKey(unknown)), input: data });
      return z.NEVER;
    }
    const result = branch[1].safeParse(data);
    if (!result.success) {
      ctx.addIssue({ ...result.error.issues[0]! } as z.core.$ZodRawIssue);
      return z.NEVER;
    }
    return result.data as z.output<B[number][1]>;
  });
}

/** `unknown field 'oops' (an expect has one of: ok, return, desc, desc_contains)`, or without a stray field `not an expect: …`. */
const noneOf = (noun: string, keys: readonly string[]) => (unknown: string | undefined): string =>
  unknown === undefined
    ? `not ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}: give one of ${keys.join(', ')}`
    : `unknown field '${unknown}' (${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} has one of: ${keys.join(', ')})`;

export const virtualFileSchema = z.strictObject({
  format: z.enum(['raw', 'qcow2']).optional(),
  size: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+[kKMGT]?$/, 'a size like 64M')]).optional(),
  'backing-file': z.string().optional(),
  'backing-format': z.enum(['raw', 'qcow2']).optional(),
  writable: z.union([z.boolean(), z.string()]).optional(),
  readable: z.union([z.boolean(), z.string()]).optional(),
});

const EXPECTS = [
  ['ok', z.strictObject({ ok: z.literal(true) })],
  ['return', z.strictObject({ return: z.unknown() })],
  ['desc', z.strictObject({ class: z.string().optional(), desc: z.string() })],
  ['desc_contains', z.strictObject({ desc_contains: z.string() })],
] as const;
const expectSchema = keyedUnion(EXPECTS, noneOf('expect', EXPECTS.map(([key]) => key)));

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

/** A file made immutable (`+i`: no open for writing, even by root) or writable again, between commands. */
export const chattrStepSchema = z.strictObject({
  chattr: z.tuple([z.string(), z.enum(['+i', '-i'])]),
  ...common,
});

/** An NBD server started between commands (`qemu-nbd` as in setup), in place of one listening there. */
const qemuNbdSpec = z.strictObject({ args: listOf(z.string(), 1), wait_for: z.string().optional() });
export const qemuNbdStepSchema = z.strictObject({ 'qemu-nbd': qemuNbdSpec, ...common });
/** The NBD server (qemu-nbd or a second daemon) at that socket path (or `HOST:PORT`, `:PORT`) stops, its clients cut off. */
/** A second qemu-storage-daemon started between commands as an NBD server (its own command line). */
export const qsdServerStepSchema = z.strictObject({ 'qemu-storage-daemon': qemuNbdSpec, ...common });
export const qemuNbdStopStepSchema = z.strictObject({ 'qemu-nbd-stop': z.string().min(1), ...common });

const STEPS = [
  ['execute', qmpStepSchema],
  ['wait-event', waitEventStepSchema],
  ['wait-job', waitJobStepSchema],
  ['advance', advanceStepSchema],
  ['sleep', sleepStepSchema],
  ['chmod', chmodStepSchema],
  ['chattr', chattrStepSchema],
  ['qemu-nbd', qemuNbdStepSchema],
  ['qemu-storage-daemon', qsdServerStepSchema],
  ['qemu-nbd-stop', qemuNbdStopStepSchema],
] as const;
export const stepSchema = keyedUnion(STEPS, noneOf('step', STEPS.map(([key]) => key)));

const argv = z.union([listOf(z.string()), z.string()]);

const SETUP_STEPS = [
  ['qemu-img', z.strictObject({ 'qemu-img': listOf(z.string(), 1) })],
  ['qemu-io', z.strictObject({ 'qemu-io': listOf(z.string(), 1) })],
  ['chmod', z.strictObject({ chmod: z.tuple([z.string(), z.string().regex(/^[0-7]{3,4}$/, 'an octal mode like 0444')]) })],
  ['chown', z.strictObject({ chown: listOf(z.string()) })],
  ['mkdir', z.strictObject({ mkdir: argv })],
  ['touch', z.strictObject({ touch: argv })],
  ['copy', z.strictObject({ copy: z.tuple([z.string(), z.string()]) })],
  ['ro-bind-mount', z.strictObject({ 'ro-bind-mount': z.tuple([z.string(), z.string()]) })],
  ['chattr-immutable', z.strictObject({ 'chattr-immutable': z.string() })],
  ['qemu-nbd', z.strictObject({ 'qemu-nbd': qemuNbdSpec })],
  ['qemu-storage-daemon', z.strictObject({ 'qemu-storage-daemon': qemuNbdSpec })],
] as const;
const SETUP_KINDS = SETUP_STEPS.map(([key]) => key).join(', ');

/** A setup step is named by its one key: `{rm: …}` is an unknown setup step, not an unknown field. */
export const setupStepSchema = keyedUnion(SETUP_STEPS, (unknown) =>
  unknown === undefined ? `not a setup step: give one of ${SETUP_KINDS}` : `unknown setup step '${unknown}' (known: ${SETUP_KINDS})`,
);

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
/** The steps between commands that change the storage or the servers under the graph. */
export type StorageStep = Extract<Step, { chmod: unknown } | { chattr: unknown } | { 'qemu-nbd': unknown } | { 'qemu-storage-daemon': unknown } | { 'qemu-nbd-stop': unknown }>;
export const isStorageStep = (step: Step): step is StorageStep =>
  'chmod' in step || 'chattr' in step || 'qemu-nbd' in step || 'qemu-storage-daemon' in step || 'qemu-nbd-stop' in step;
