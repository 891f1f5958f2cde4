#!/usr/bin/env node
/**
 * The `permgraph` command line. Bad input ends with one line on stderr that says where and what,
 * and exit status 2; never a stack trace.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ScenarioError } from '../scenario/load.js';
import { runCommand } from './run-command.js';

const MODELS = ['dynamic', 'qemu-7.2'] as const;

function fatal(message: string): never {
  process.stderr.write(`permgraph: ${message}\n`);
  process.exit(2);
}

const program = new Command()
  .name('permgraph')
  .description("Simulates QEMU's block-layer permission graph: QEMU 7.2's, and the dynamic read-only model")
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('run')
  .description('replay a scenario file (JSON or YAML) and print what every step did')
  .argument('<file>', 'the scenario')
  .addOption(new Option('--model <model>', 'read-only model (default: the scenario\'s, else dynamic)').choices(MODELS))
  .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
  .addOption(
    new Option('--storage <kind>', 'virtual: setup steps describe files; real: the files on disk')
      .choices(['auto', 'virtual', 'real'])
      .default('auto'),
  )
  .action((file: string, options: { model?: (typeof MODELS)[number]; format: 'text' | 'json'; storage: 'auto' | 'virtual' | 'real' }) => {
    process.exitCode = runCommand(file, options, (text) => process.stdout.write(text));
  });

try {
  program.parse();
} catch (error) {
  if (error instanceof ScenarioError || error instanceof InvalidArgumentError) fatal(error.message);
  fatal(`internal error: ${(error as Error).message}`);
}
