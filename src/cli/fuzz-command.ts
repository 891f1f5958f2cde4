/**
 * `permgraph fuzz`: random QMP sequences on the real qemu-storage-daemon and on permgraph; every
 * sequence that differs is shrunk to a small scenario in --out. A progress bar on a terminal, a
 * summary, and the last line `fuzz: M/N sequences identical`; exit 0 only when all are.
 */
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option } from 'commander';
import { fuzz, type FuzzResult } from '../fuzz/fuzz.js';
import type { Model } from '../graph/types.js';
import type { ProgressStream } from './check-command.js';
import { modelOption, type RegisterCommand } from './command-kit.js';
import { cleanUpOnSignals } from '../diff/interrupt.js';
import { DAEMON_BINARY } from '../diff/daemon.js';
import { daemonVersion } from '../diff/versions.js';

export interface FuzzCommandOptions {
  readonly count: number;
  readonly seed?: number;
  /** Default: the model that follows the daemon's version. */
  readonly model?: Model;
  readonly qsd?: string;
  readonly jobs: number;
  readonly out: string;
  readonly maxSteps: number;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number');
  return Number(value);
}

function progressBar(total: number, stream: ProgressStream): SingleBar | null {
  if (!stream.isTTY) return null;
  const bar = new SingleBar({ stream, format: 'fuzzing | {bar} | {value}/{total} sequences | {identical} identical', hideCursor: true });
  bar.start(total, 0, { identical: 0 });
  return bar;
}

function report(result: FuzzResult, qsd: string | undefined, write: (text: string) => void): void {
  for (const line of result.notRun) write(`not run: ${line}\n`);
  for (const finding of result.findings) {
    const where = finding.file ? `: ${finding.file} (replay: permgraph diff ${finding.file}${qsd ? ` --qsd ${qsd}` : ''})` : '';
    write(`${finding.name}: differs, shrunk from ${finding.originalSteps} to ${finding.steps} steps${where}\n`);
    for (const line of finding.differences) write(`  ${line}\n`);
  }
}

export async function fuzzCommand(options: FuzzCommandOptions, write: (text: string) => void, progress: ProgressStream = process.stderr): Promise<number> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const model = options.model ?? (await daemonVersion(options.qsd ?? DAEMON_BINARY)).model;
  write(`# permgraph fuzz --seed ${seed} --count ${options.count} --model ${model}${options.qsd ? ` --qsd ${options.qsd}` : ''}\n`);
  const bar = progressBar(options.count, progress);
  const result = await fuzz({
    count: options.count,
    seed,
    model,
    jobs: options.jobs,
    out: options.out,
    maxSteps: options.maxSteps,
    ...(options.qsd ? { qsd: options.qsd } : {}),
    ...(bar ? { onSequence: (done: number, identical: number) => bar.update(done, { identical }) } : {}),
  });
  bar?.stop();
  report(result, options.qsd, write);
  write(`fuzz: ${result.identical}/${result.total} sequences identical\n`);
  return result.identical === result.total ? 0 : 1;
}

export const registerFuzzCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('fuzz')
    .description('random QMP sequences on the real qemu-storage-daemon and on permgraph; every difference shrunk to a scenario (exit 1 if any)')
    .addOption(new Option('--count <n>', 'sequences to run').argParser(wholeNumber).default(50))
    .addOption(new Option('--seed <n>', 'the run\'s seed (default: a fresh one, printed)').argParser(wholeNumber))
    .addOption(modelOption("read-only model (default: the one that follows the daemon's version)"))
    .option('--qsd <path>', 'the qemu-storage-daemon binary (default: the one on PATH)')
    .addOption(new Option('--jobs <k>', 'daemons side by side').argParser(wholeNumber).default(2))
    .addOption(new Option('--max-steps <n>', 'the most commands in a sequence').argParser(wholeNumber).default(12))
    .option('--out <dir>', 'where shrunk findings are written (scenario and daemon trace)', 'fuzz-findings')
    .action((options: FuzzCommandOptions) => {
      cleanUpOnSignals();
      setExit(fuzzCommand(options, io.stdout));
    });
};
