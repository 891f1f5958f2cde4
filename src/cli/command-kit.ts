/**
 * What a command needs to add itself to the `permgraph` program: the output streams, where its
 * exit status goes, and the options and argument parsers that several commands share.
 */
import { Option, type Command } from 'commander';
import { UsageError } from './errors.js';
import { MODELS, type Model } from '../../machines/node.types.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Commands whose work outlives the call (servers) register here and are awaited by main. */
export type LongRunning = Promise<number>;

export interface CommandContext {
  readonly io: CliIo;
  readonly setExit: (code: number | LongRunning) => void;
}

/** Adds one command, its options and its action to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

export type ModelName = Model;

export const modelOption = (description: string): Option => new Option('--model <model>', description).choices(MODELS);

export const storageOption = (description: string): Option =>
  new Option('--storage <kind>', description).choices(['auto', 'virtual', 'real']).default('auto');

export function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--timeout: not a number of seconds: '${text}'`);
  return seconds;
}
