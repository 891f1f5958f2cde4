/**
 * The `permgraph` command line as a function of its arguments and output streams, so that it can
 * be run in-process. Bad input ends with one line on stderr that says where and what, and exit
 * status 2; never a stack trace. Each command adds itself from its own file; this lists them in
 * the order `--help` shows them.
 */
import { Command, CommanderError } from 'commander';
import { registerChartCommand } from './chart-command.js';
import { registerCheckCommand } from './check-command.js';
import type { CliIo, LongRunning, RegisterCommand } from './command-kit.js';
import { registerDiffCommand } from './diff-command.js';
import { errorLine } from './errors.js';
import { registerGraphCommand } from './graph-command.js';
import { registerImportCommand } from './import-command.js';
import { registerQmpCommand } from './qmp-command.js';
import { registerQsdCommand } from './qsd-command.js';
import { registerFuzzCommand } from './fuzz-command.js';
import { registerRecordCommand } from './record-command.js';
import { registerRunCommand } from './run-command.js';
import { registerViewCommand } from './view-command.js';
import { packageVersion } from './version.js';

export type { CliIo, LongRunning } from './command-kit.js';
export { errorLine, UsageError } from './errors.js';

const COMMANDS: readonly RegisterCommand[] = [
  registerRunCommand,
  registerQmpCommand,
  registerQsdCommand,
  registerCheckCommand,
  registerChartCommand,
  registerGraphCommand,
  registerViewCommand,
  registerDiffCommand,
  registerRecordCommand,
  registerImportCommand,
  registerFuzzCommand,
];

export function buildProgram(io: CliIo, setExit: (code: number | LongRunning) => void): Command {
  const program = new Command()
    .name('permgraph')
    .description("Simulates QEMU's block-layer permission graph: QEMU 7.2's, and the dynamic read-only model")
    .version(packageVersion(), '-V, --version', "print permgraph's version")
    // permgraph's own options come before the command (qsd takes the daemon's, -V among them)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`permgraph: ${text.replace(/^error: /, '')}`),
    });
  for (const register of COMMANDS) register(program, { io, setExit });
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
    return await exit;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr(errorLine(error));
    return 2;
  }
}
