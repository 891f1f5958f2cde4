/**
 * The `permgraph` command line as a function of its arguments and output streams, so that it can
 * be run in-process. Bad input ends with one line on stderr that says where and what, and exit
 * status 2; never a stack trace.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ScenarioError } from '../scenario/load.js';
import { runCommand } from './run-command.js';
import { chartCommand, type ChartFormat } from './chart-command.js';
import { graphCommand } from './graph-command.js';
import { viewCommand } from './view-command.js';
import { checkCommand, DEFAULT_DEPTH, type CheckCommandOptions } from './check-command.js';
import { diffCommand } from './diff-command.js';
import { recordCommand } from './record-command.js';
import { createPermgraph } from '../runtime/permgraph.js';
import { startQmpServer } from '../server/qmp-server.js';
import { formatViolation } from '../invariants/index.js';
import { withInvariantChecks } from '../invariants/watch.js';
import { createRealStorage } from '../storage/real-storage.js';

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
    .option('--check-invariants', 'check the invariant catalogue after every step; a violation fails the run')
    .action((file: string, options: { model?: ModelName; format: 'text' | 'json'; storage: 'auto' | 'virtual' | 'real'; checkInvariants?: boolean }) => {
      setExit(runCommand(file, options, io.stdout));
    });

  program
    .command('qmp')
    .description('serve QMP like qemu-storage-daemon, on a unix socket or on stdin/stdout')
    .addOption(new Option('--socket <path>', 'listen on this unix socket').conflicts('stdio'))
    .addOption(new Option('--stdio', 'speak QMP on stdin and stdout'))
    .addOption(new Option('--model <model>', 'read-only model').choices(MODELS).default('dynamic'))
    .option('--check-invariants', 'check the invariant catalogue after every command; violations go to stderr')
    .action((options: { socket?: string; stdio?: boolean; model: ModelName; checkInvariants?: boolean }) => {
      if (!options.socket && !options.stdio) throw new UsageError('qmp: give --socket PATH or --stdio');
      setExit(serveQmp(options, io));
    });

  program
    .command('check')
    .description('explore every command sequence of a universe up to a depth and check the invariants in every state')
    .addOption(new Option('--model <model>', "read-only model (default: the universe's, else dynamic)").choices(MODELS))
    .addOption(new Option('--depth <n>', 'longest command sequence explored').argParser(depthArg).default(DEFAULT_DEPTH))
    .option('--universe <file>', 'the universe (JSON or YAML); default: the libvirt chain with an export and a commit')
    .option('--out <file>', "where a counterexample scenario is written ('-' for stdout; default <universe>.counterexample.yaml)")
    .option('--allow-quirks', "go on past QEMU 7.2's own documented breaks of an invariant (the failed stream's leaked backend)")
    .option('--print-universe', 'print the universe (e.g. the default one, to start your own from) and stop')
    .action((options: CheckCommandOptions) => {
      setExit(checkCommand(options, io.stdout));
    });

  program
    .command('chart')
    .description("draw a state machine (node: a block node's read-only state; job: a block job's life) from its definition")
    .addArgument(new Argument('<machine>', 'which machine').choices(['node', 'job']))
    .addOption(new Option('--format <format>', 'output').choices(['mermaid', 'dot', 'svg']).default('mermaid'))
    .action((machine: 'node' | 'job', options: { format: ChartFormat }) => {
      setExit(chartCommand(machine, options.format, io.stdout));
    });

  program
    .command('graph')
    .description('draw the block graph after a step of a scenario: nodes with ro, state and open mode, edges with perm and shared')
    .argument('<file>', 'the scenario')
    .option('--step <n>', 'after this step (0-based; default: the last)')
    .addOption(new Option('--model <model>', "read-only model (default: the scenario's, else dynamic)").choices(MODELS))
    .addOption(new Option('--format <format>', 'output').choices(['dot', 'svg']).default('svg'))
    .addOption(new Option('--storage <kind>', 'virtual or real files, as for run').choices(['auto', 'virtual', 'real']).default('auto'))
    .action((file: string, options: { step?: string; model?: ModelName; format: 'dot' | 'svg'; storage: 'auto' | 'virtual' | 'real' }) => {
      setExit(graphCommand(file, options, io.stdout));
    });

  program
    .command('view')
    .description('serve a web viewer that steps through a scenario in both models, on 127.0.0.1; prints its URL')
    .argument('<file>', 'the scenario')
    .option('--port <n>', 'port (0: any free one)', '0')
    .addOption(new Option('--storage <kind>', 'virtual or real files, as for run').choices(['auto', 'virtual', 'real']).default('auto'))
    .action((file: string, options: { port: string; storage: 'auto' | 'virtual' | 'real' }) => {
      setExit(viewCommand(file, options, io.stdout));
    });

  program
    .command('diff')
    .description('run a scenario on the real qemu-storage-daemon and on permgraph; print every difference (exit 1 if any)')
    .argument('<file>', 'the scenario')
    .addOption(new Option('--model <model>', 'read-only model').choices(MODELS).default('qemu-7.2'))
    .option('--as-user <user>', "run the daemon as this user (default: the scenario's as_user; 'self': as you)")
    .option('--recorded <trace>', 'compare with this recorded trace instead of running the daemon')
    .option('--timeout <seconds>', 'limit of every QMP read', parseSeconds, 10)
    .action((file: string, options: { model: ModelName; asUser?: string; recorded?: string; timeout: number }) => {
      setExit(diffCommand(file, options, io.stdout));
    });

  program
    .command('record')
    .description("run scenarios on the real qemu-storage-daemon and write each one's trace beside it (NAME.trace.json)")
    .argument('<files...>', 'the scenarios')
    .option('--as-user <user>', "run the daemon as this user (default: the scenario's as_user; 'self': as you)")
    .option('--out <trace>', 'write the trace here (one scenario only)')
    .option('--timeout <seconds>', 'limit of every QMP read', parseSeconds, 10)
    .action((files: string[], options: { asUser?: string; out?: string; timeout: number }) => {
      if (options.out && files.length > 1) throw new UsageError('record: --out takes one scenario');
      setExit(recordCommand(files, options, io.stdout));
    });

  return program;
}

function depthArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number of commands');
  return Number(value);
}

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--timeout: not a number of seconds: '${text}'`);
  return seconds;
}

/** A mistake in how the command line was used. */
export class UsageError extends Error {}

async function serveQmp(options: { socket?: string; stdio?: boolean; model: ModelName; checkInvariants?: boolean }, io: CliIo): Promise<number> {
  const storage = createRealStorage();
  // nothing asks a QMP client's permgraph for node actors: none are kept
  const permgraph = createPermgraph({ model: options.model, storage, nodeActors: false });
  const served = options.checkInvariants
    ? withInvariantChecks(permgraph, storage, (violations, after) => {
        for (const v of violations) io.stderr(`permgraph: invariant broken after ${after}: ${formatViolation(v)}\n`);
      })
    : permgraph;
  const server = await startQmpServer({
    permgraph: served,
    ...(options.socket ? { socketPath: options.socket } : { stdio: { input: process.stdin, output: process.stdout } }),
  });
  const stop = (): void => void server.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await server.closed;
  permgraph.dispose();
  return 0;
}

/** Errors of the surroundings (a user, the daemon, a socket), not of permgraph: said as they are. */
const OUTSIDE_ERRORS = new Set(['IdentityError', 'DaemonError', 'SetupError', 'QmpTimeout', 'QmpConnectionError']);
const MAX_ERROR_LINE = 1000;

/** Control characters (a newline in a file name) written as escapes, and a very long line cut short. */
function oneLine(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line;
}

/** What the command line prints for an error: one line, whatever the error. */
export function errorLine(error: unknown): string {
  if (error instanceof ScenarioError || error instanceof UsageError) return `permgraph: ${oneLine(error.message)}\n`;
  if (!(error instanceof Error)) return `permgraph: internal error: ${oneLine(String(error))}\n`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'permgraph: socket in use\n';
  const outside = OUTSIDE_ERRORS.has(error.name) || (typeof code === 'string' && /^E[A-Z]+$/.test(code));
  return `permgraph: ${outside ? '' : 'internal error: '}${oneLine(error.message)}\n`;
}

/** Runs the command line; resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit: number | LongRunning = 0;
  const program = buildProgram(io, (code) => {
    exit = code;
  });
  try {
    program.parse([...argv], { from: 'user' });
    return await exit;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr(errorLine(error));
    return 2;
  }
}
