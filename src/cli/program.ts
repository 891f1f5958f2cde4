/**
 * The `permgraph` command line as a function of its arguments and output streams, so that it can
 * be run in-process. Bad input ends with one line on stderr that says where and what, and exit
 * status 2; never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { ScenarioError } from '../scenario/load.js';
import { runCommand } from './run-command.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const MODELS = ['dynamic', 'qemu-7.2'] as const;
type ModelName = (typeof MODELS)[number];

/** Commands whose work outlives the call (servers) register here and are awaited by main. */
export type LongRunning = Promise<number>;

export function buildProgram(io: CliIo, setExit: (code: number | LongRunning) => void): Command {
  const program = new Command()
    .name('permgraph')
    .description("Simulates QEMU's block-layer permission graph: QEMU 7.2's, and the dynamic read-only model")
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`permgraph: ${text.replace(/^error: /, '')}`),
    });

  program
    .command('run')
    .description('replay a scenario file (JSON or YAML) and print what every step did')
    .argument('<file>', 'the scenario')
    .addOption(new Option('--model <model>', "read-only model (default: the scenario's, else dynamic)").choices(MODELS))
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--storage <kind>', 'virtual: setup steps describe files; real: the files on disk')
        .choices(['auto', 'virtual', 'real'])
        .default('auto'),
    )
    .action((file: string, options: { model?: ModelName; format: 'text' | 'json'; storage: 'auto' | 'virtual' | 'real' }) => {
      setExit(runCommand(file, options, io.stdout));
    });

  return program;
}

/** Runs the command line; resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit: number | LongRunning = 0;
  const program = buildProgram(io, (code) => {
    exit = code;
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ScenarioError) {
      io.stderr(`permgraph: ${error.message}\n`);
      return 2;
    }
    io.stderr(`permgraph: internal error: ${(error as Error).message}\n`);
    return 2;
  }
  return exit;
}
