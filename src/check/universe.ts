/**
 * A universe for the bounded explorer: the images, a start (the commands that build the first
 * state) and the commands the explorer may take, in any order, from every state. JSON or YAML,
 * checked with zod like a scenario; a problem is one line that says where and what.
 */
import { z } from 'zod';
import { MODELS } from '../../machines/node.types.js';
import { readDataFile } from '../scenario/data-file.js';
import { checkData } from '../scenario/data-schema.js';
import { parseDataText } from '../scenario/data-text.js';
import { advanceStepSchema, chmodStepSchema, listOf, qemuNbdStepSchema, qemuNbdStopStepSchema, qmpStepSchema, qsdServerStepSchema, recordOf, setupStepSchema, virtualFileSchema } from '../scenario/schema.js';

const commandSchema = z.union([qmpStepSchema.omit({ expect: true }), advanceStepSchema, chmodStepSchema, qemuNbdStepSchema, qsdServerStepSchema, qemuNbdStopStepSchema]);

export const universeSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  model: z.enum(MODELS).optional(),
  files: recordOf(virtualFileSchema).optional(),
  setup: listOf(setupStepSchema).optional(),
  /** Run once, in order, to make the first state; each must succeed. */
  start: listOf(commandSchema),
  /** The alphabet: every sequence of these, up to the depth, is explored. */
  commands: listOf(commandSchema, 1),
});

export type Universe = z.infer<typeof universeSchema>;
export type UniverseCommand = z.infer<typeof commandSchema>;

export function parseUniverse(text: string, file: string): Universe {
  return checkData(universeSchema, parseDataText(text, file), file);
}

export function loadUniverse(file: string): Universe {
  return parseUniverse(readDataFile(file), file);
}

/** A command's one-line label, for traces and counterexample notes. */
export function commandLabel(command: UniverseCommand): string {
  if ('execute' in command) return `${command.execute}${command.arguments ? ` ${JSON.stringify(command.arguments)}` : ''}`;
  if ('advance' in command) return `advance ${command.advance}s`;
  if ('qemu-nbd' in command) return `qemu-nbd ${command['qemu-nbd'].args.join(' ')}`;
  if ('qemu-nbd-stop' in command) return `qemu-nbd-stop ${command['qemu-nbd-stop']}`;
  if ('qemu-storage-daemon' in command) return `qemu-storage-daemon ${command['qemu-storage-daemon'].args.join(' ')}`;
  return `chmod ${command.chmod[0]} ${command.chmod[1]}`;
}
