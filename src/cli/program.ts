/**
 * The `permgraph` command line as a function of its arguments and output streams, so that it can
 * be run in-process. Bad input ends with one line on stderr that says where and what, and exit
 * status 2; never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { ScenarioError } from '../scenario/load.js';
import { runCommand } from './run-command.js';
import { createPermgraph } from '../runtime/permgraph.js';
import { startQmpServer } from '../server/qmp-server.js';

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

  program
    .command('qmp')
    .description('serve QMP like qemu-storage-daemon, on a unix socket or on stdin/stdout')
    .addOption(new Option('--socket <path>', 'listen on this unix socket').conflicts('stdio'))
    .addOption(new Option('--stdio', 'speak QMP on stdin and stdout'))
    .addOption(new Option('--model <model>', 'read-only model').choices(MODELS).default('dynamic'))
    .action((options: { socket?: string; stdio?: boolean; model: ModelName }) => {
      if (!options.socket && !options.stdio) throw new UsageError('qmp: give --socket PATH or --stdio');
      setExit(serveQmp(options));
    });

  return program;
}

/** A mistake in how the command line was used. */
export class UsageError extends Error {}

async function serveQmp(options: { socket?: string; stdio?: boolean; model: ModelName }): Promise<number> {
  // nothing asks a QMP client's permgraph for node actors: none are kept
  const permgraph = createPermgraph({ model: options.model, nodeActors: false });
  const server = await startQmpServer({
    permgraph,
    ...(options.socket ? { socketPath: options.socket } : { stdio: { input: process.stdin, output: process.stdout } }),
  });
  const stop = (): void => void server.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await server.closed;
  permgraph.dispose();
  return 0;
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
    if (error instanceof ScenarioError || error instanceof UsageError) {
      io.stderr(`permgraph: ${error.message}\n`);
      return 2;
    }
    io.stderr(`permgraph: internal error: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    return await exit;
  } catch (error) {
    io.stderr(`permgraph: ${(error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'socket in use' : (error as Error).message}\n`);
    return 2;
  }
}
