/**
 * A universe for the bounded explorer: the images, a start (the commands that build the first
 * state) and the commands the explorer may take, in any order, from every state. JSON or YAML,
 * checked with zod like a scenario; a problem is one line that says where and what.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ScenarioError } from '../scenario/load.js';
import { advanceStepSchema, chmodStepSchema, qmpStepSchema, setupStepSchema, virtualFileSchema } from '../scenario/schema.js';

const commandSchema = z.union([qmpStepSchema.omit({ expect: true }), advanceStepSchema, chmodStepSchema]);

export const universeSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  model: z.enum(['qemu-7.2', 'dynamic']).optional(),
  files: z.record(z.string(), virtualFileSchema).optional(),
  setup: z.array(setupStepSchema).optional(),
  /** Run once, in order, to make the first state; each must succeed. */
  start: z.array(commandSchema),
  /** The alphabet: every sequence of these, up to the depth, is explored. */
  commands: z.array(commandSchema).min(1),
});

export type Universe = z.infer<typeof universeSchema>;
export type UniverseCommand = z.infer<typeof commandSchema>;

function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '') || '(top)';
}

export function parseUniverse(text: string, file: string): Universe {
  let data: unknown;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = universeSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const inner = issue.code === 'invalid_union' ? issue.errors.find((b) => b.length > 0)?.[0] : undefined;
    const path = [...issue.path, ...(inner?.path ?? [])];
    const text = inner ?? issue;
    const message = text.code === 'unrecognized_keys' ? `unknown field '${text.keys[0]}'` : text.message;
    throw new ScenarioError(`${file}: ${where(path)}: ${message}`);
  }
  return result.data;
}

export function loadUniverse(file: string): Universe {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(`${file}: cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`);
  }
  return parseUniverse(text, file);
}

/** A command's one-line label, for traces and counterexample notes. */
export function commandLabel(command: UniverseCommand): string {
  if ('execute' in command) return `${command.execute}${command.arguments ? ` ${JSON.stringify(command.arguments)}` : ''}`;
  if ('advance' in command) return `advance ${command.advance}s`;
  return `chmod ${command.chmod[0]} ${command.chmod[1]}`;
}
