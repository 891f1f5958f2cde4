/**
 * `permgraph diff SCENARIO`: the scenario on the real qemu-storage-daemon (or, with --recorded, its
 * recording) and on permgraph, both normalized, and every difference step by step. Exit 0 when
 * they agree, 1 when they do not. The model is the one that follows the daemon's version unless
 * --model says. `--versions`: the scenario on every QEMU version's daemon and model (diff-versions.ts).
 */
import type { Model } from '../graph/types.js';
import { differences, formatDifferences } from '../diff/compare.js';
import { normalizeTrace } from '../diff/normalize.js';
import { notRun, recordOnDaemon } from '../diff/record.js';
import { readScenarioFile } from '../diff/scenario-file.js';
import { simulate } from '../diff/simulate.js';
import { loadTrace } from '../diff/trace-schema.js';
import { modelOfTrace } from '../diff/versions.js';
import { ScenarioError } from '../scenario/load.js';
import { modelOption, parseSeconds, type RegisterCommand } from './command-kit.js';
import { cleanUpOnSignals } from '../diff/interrupt.js';
import { diffVersions } from './diff-versions.js';
import { UsageError } from './errors.js';

export interface DiffOptions {
  /** Default: the model that follows the daemon's (or the recording's) version. */
  readonly model?: Model;
  readonly asUser?: string;
  readonly recorded?: string;
  readonly qsd?: string;
  readonly versions?: boolean;
  readonly timeout: number;
}

export async function diffCommand(file: string, options: DiffOptions, write: (text: string) => void): Promise<number> {
  if (options.versions) {
    if (options.recorded || options.qsd || options.model) throw new UsageError('diff: --versions runs every QEMU model against its own daemon; it takes no --recorded, --qsd or --model');
    return diffVersions(file, options, write);
  }
  const { name, scenario } = readScenarioFile(file);
  const run = { timeout: options.timeout, ...(options.asUser ? { asUser: options.asUser } : {}), ...(options.qsd ? { binary: options.qsd } : {}) };
  const reference = options.recorded ? loadTrace(options.recorded) : await recordOnDaemon(scenario, name, run);
  const failed = options.recorded ? null : notRun(reference);
  if (failed) throw new ScenarioError(`${file}: not run on the daemon: ${failed}`);
  const model = options.model ?? modelOfTrace(reference);
  const side = options.recorded ? 'recording' : 'daemon';
  const simulated = simulate(scenario, name, { model, file });
  const diffs = differences(normalizeTrace(reference), normalizeTrace(simulated), [side, 'permgraph']);
  const header = `${name}: ${side}${reference.as_user ? ` (as ${reference.as_user})` : ''} vs permgraph --model ${model}`;
  if (diffs.length === 0) {
    write(`${header}: same (${reference.steps.length} steps)\n`);
    return 0;
  }
  write(`${header}: ${diffs.length} difference(s)\n${formatDifferences(normalizeTrace(reference), diffs)}`);
  return 1;
}

export const registerDiffCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('diff')
    .description('run a scenario on the real qemu-storage-daemon and on permgraph; print every difference (exit 1 if any)')
    .argument('<file>', 'the scenario')
    .addOption(modelOption("read-only model (default: the one that follows the daemon's version)"))
    .option('--qsd <path>', 'the qemu-storage-daemon binary (default: the one on PATH)')
    .option('--versions', "run it on every QEMU version's daemon and model: where the versions differ, and whether each model follows its own daemon")
    .option('--as-user <user>', "run the daemon as this user (default: the scenario's as_user; 'self': as you)")
    .option('--recorded <trace>', 'compare with this recorded trace instead of running the daemon')
    .option('--timeout <seconds>', 'limit of every QMP read', parseSeconds, 10)
    .action((file: string, options: DiffOptions) => {
      cleanUpOnSignals();
      setExit(diffCommand(file, options, io.stdout));
    });
};
