/** `permgraph run FILE`: replay a scenario and print its trace. */
import { Option } from 'commander';
import type { Model } from '../graph/types.js';
import { loadScenario } from '../scenario/load.js';
import { formatJson, formatText } from '../scenario/format.js';
import { RUN_LEGEND } from '../scenario/legend.js';
import { playScenario, type StorageKind } from '../scenario/play.js';
import { modelOption, storageOption, type RegisterCommand } from './command-kit.js';

export interface RunCommandOptions {
  readonly model?: Model;
  readonly format: 'text' | 'json';
  readonly storage: StorageKind;
  readonly checkInvariants?: boolean;
}

/** Returns the exit code: 0 all good, 1 an expectation failed or an invariant broke. Bad input throws ScenarioError. */
export function runCommand(file: string, options: RunCommandOptions, write: (text: string) => void): number {
  const scenario = loadScenario(file);
  const result = playScenario(scenario, file, options.model ?? scenario.model ?? 'dynamic', options.storage, options.checkInvariants === true);
  write(options.format === 'json' ? formatJson(result, file) : formatText(result, file));
  result.permgraph.dispose();
  return result.ok ? 0 : 1;
}

export const registerRunCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('run')
    .description('replay a scenario file (JSON or YAML) and print what every step did')
    .argument('<file>', 'the scenario')
    .addOption(modelOption("read-only model (default: the scenario's, else dynamic)"))
    .addOption(new Option('--format <format>', 'text: the trace below; json: the same as fields, for tools (docs/trace.md)').choices(['text', 'json']).default('text'))
    .addOption(storageOption('virtual: setup steps describe files; real: the files on disk'))
    .option('--check-invariants', 'check the invariant catalogue after every step; a violation fails the run')
    .addHelpText('after', `\n${RUN_LEGEND}`)
    .action((file: string, options: RunCommandOptions) => {
      setExit(runCommand(file, options, io.stdout));
    });
};
