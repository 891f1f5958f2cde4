/**
 * A recorded trace as read back from a file (`permgraph diff --recorded`): checked with zod against
 * the shape that trace.ts describes, so that a file of another shape (`[]`, `{"steps": 5}`, a trace
 * of another version) is one line that names the file and the first bad field. Fields a newer
 * recorder may add are kept and not checked.
 */
import { z } from 'zod';
import { readDataFile } from '../scenario/data-file.js';
import { checkData } from '../scenario/data-schema.js';
import { parseDataText } from '../scenario/data-text.js';
import { listOf } from '../scenario/schema.js';
import type { Json, Trace } from './trace.js';

/** Any value: what parseDataText gives is JSON data already. */
const json = z.custom<Json>((value) => value !== undefined, 'a JSON value');
const jsonObject = z.record(z.string(), json);

const nodeSchema = z.looseObject({ 'node-name': z.string(), drv: z.string(), ro: z.boolean(), file: z.string() });
const edgeSchema = z.looseObject({
  parent: z.string(),
  child: z.string(),
  name: z.string(),
  perm: listOf(z.string()),
  'shared-perm': listOf(z.string()),
});
const fdSchema = z.looseObject({
  path: z.string(),
  mode: z.string(),
  locks: listOf(z.string()),
  fd: z.number().optional(),
  flags: z.string().optional(),
  extra: listOf(z.string()).optional(),
});
const jobSchema = z.looseObject({ id: z.string(), type: z.string(), status: z.string() });
const exportSchema = z.looseObject({ id: z.string(), type: z.string(), 'node-name': z.string(), 'shutting-down': z.boolean() });

/** A QMP reply kept as it came, when it was not what the query returns. */
const replySchema = z.union([z.strictObject({ error: json }), z.strictObject({ return: json })]);

/** Each part is either what the query returned, or its reply kept as it is. */
const observationSchema = z.looseObject({
  nodes: z.union([listOf(nodeSchema), replySchema]),
  graph: z.union([z.looseObject({ nodes: listOf(z.string()), edges: listOf(edgeSchema) }), replySchema]),
  jobs: z.union([listOf(jobSchema), replySchema]).optional(),
  exports: z.union([listOf(exportSchema), replySchema]).optional(),
  fds: z.union([listOf(fdSchema), z.strictObject({ error: z.string() })]),
});

const eventSchema = z.looseObject({ event: z.string(), data: jsonObject.optional() });

const stepSchema = z.looseObject({
  i: z.number().int().nonnegative(),
  note: z.string().optional(),
  execute: z.string().optional(),
  arguments: jsonObject.optional(),
  return: json.optional(),
  error: z.looseObject({ class: z.string(), desc: z.string() }).optional(),
  expect: jsonObject.optional(),
  expect_ok: z.boolean().optional(),
  'wait-event': z.string().optional(),
  matched: eventSchema.optional(),
  'wait-job': z.string().optional(),
  status: z.string().optional(),
  sleep: z.number().optional(),
  advance: z.number().optional(),
  observe: z.boolean().optional(),
  obs: observationSchema.optional(),
  events: listOf(eventSchema).optional(),
  timeout: z.string().optional(),
  failed: z.string().optional(),
  daemon_output: z.string().optional(),
});

const setupRecordSchema = z.looseObject({ op: z.string(), arg: json, rc: z.number().optional(), output: z.string().optional() });

export const traceSchema = z.looseObject({
  scenario: z.string(),
  description: z.string(),
  workdir: z.string(),
  as_user: z.string().nullable(),
  qemu: json,
  daemon: json,
  setup: listOf(setupRecordSchema),
  initial: observationSchema.nullable(),
  steps: listOf(stepSchema),
  aborted: z.string().optional(),
  daemon_exit: z.number().int().nullable().optional(),
  daemon_killed_by: z.string().optional(),
  daemon_output_tail: z.string().optional(),
  elapsed_s: z.number().optional(),
  expect_mismatches: z.number().int().optional(),
});

/** The trace in a file; a file that is not one is a ScenarioError that says where and what. */
export function loadTrace(file: string): Trace {
  return checkData(traceSchema, parseDataText(readDataFile(file), file), file);
}
