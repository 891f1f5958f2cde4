/** `permgraph record SCENARIO...`: each scenario run on the real daemon, its trace written as NAME.trace.json. */
import { writeFileSync } from 'node:fs';
import { notRun, recordOnDaemon } from '../diff/record.js';
import { readScenarioFile } from '../diff/scenario-file.js';
import { modelOfTrace, tracePathFor } from '../diff/versions.js';
import { ScenarioError } from '../scenario/load.js';
import { parseSeconds, type RegisterCommand } from './command-kit.js';
import { UsageError } from './errors.js';
import { cleanUpOnSignals } from '../diff/interrupt.js';

export interface RecordCommandOptions {
  readonly asUser?: string;
  readonly out?: string;
  readonly qsd?: string;
  readonly timeout: number;
}

/**
 * 0 when every run completed, 1 when one was aborted (its trace is written all the same); a
 * scenario the daemon could not be started for rejects.
 */
export async function recordCommand(files: readonly string[], options: RecordCommandOptions, write: (text: string) => void): Promise<number> {
  const scenarios = files.map(readScenarioFile);
  let aborted = 0;
  for (const { file, name, scenario } of scenarios) {
    const trace = await recordOnDaemon(scenario, name, { timeout: options.timeout, ...(options.asUser ? { asUser: options.asUser } : {}), ...(options.qsd ? { binary: options.qsd } : {}) });
    const failed = notRun(trace);
    if (failed) throw new ScenarioError(`${file}: not run on the daemon: ${failed}`);
    const out = options.out ?? tracePathFor(file, modelOfTrace(trace));
    writeFileSync(out, `${JSON.stringify(trace, null, 1)}\n`);
    if (trace.aborted) aborted++;
    write(`${name}: ${trace.steps.length} steps, ${trace.elapsed_s}s${trace.aborted ? `, ABORTED: ${trace.aborted}` : ''} -> ${out}\n`);
  }
  return aborted > 0 ? 1 : 0;
}

export const registerRecordCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('record')
    .description("run scenarios on the real qemu-storage-daemon and write each one's trace beside it (NAME.trace.json on QEMU 7.2, NAME.qemu-10.0.trace.json on 10.0)")
    .argument('<files...>', 'the scenarios')
    .option('--as-user <user>', "run the daemon as this user (default: the scenario's as_user; 'self': as you)")
    .option('--out <trace>', 'write the trace here (one scenario only)')
    .option('--qsd <path>', 'the qemu-storage-daemon binary (default: the one on PATH)')
    .option('--timeout <seconds>', 'limit of every QMP read', parseSeconds, 10)
    .action((files: string[], options: RecordCommandOptions) => {
      if (options.out && files.length > 1) throw new UsageError('record: --out takes one scenario');
      cleanUpOnSignals();
      setExit(recordCommand(files, options, io.stdout));
    });
};
