/**
 * `permgraph import FILE`: a QMP transcript (raw JSON lines, a qmp-shell session or libvirt's
 * monitor debug log) as a scenario file whose steps carry the replies QEMU gave as `expect`, so
 * that `permgraph run`, `view` and `diff` show where the simulation and the recording part. The
 * scenario goes to stdout or --out; what the input was read as, and every assumption, to stderr.
 */
import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import { readDataFile } from '../scenario/data-file.js';
import { importTranscript, type ImportFormat } from '../scenario/import/index.js';
import type { CliIo, RegisterCommand } from './command-kit.js';

export interface ImportCommandOptions {
  readonly out?: string;
  readonly format?: ImportFormat;
}

/** Returns the exit code (0); bad input throws a ScenarioError of one line. */
export function importCommand(file: string, options: ImportCommandOptions, io: CliIo): number {
  const format = options.format ?? (options.out && /\.json$/i.test(options.out) ? 'json' : 'yaml');
  const imported = importTranscript(readDataFile(file), file, format);
  if (options.out) writeFileSync(options.out, imported.text);
  else io.stdout(imported.text);
  io.stderr(`permgraph import: ${imported.summary}${options.out ? `; written to ${options.out}` : ''}\n`);
  for (const note of imported.notes) io.stderr(`permgraph import: note: ${note}\n`);
  return 0;
}

export const registerImportCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('import')
    .description("turn a QMP transcript (JSON lines, a qmp-shell session or libvirt's monitor log) into a scenario that replays it")
    .argument('<file>', 'the transcript; its kind is told from its lines')
    .option('--out <file>', 'write the scenario here (default: stdout)')
    .addOption(new Option('--format <format>', 'the scenario as YAML or JSON (default: json for an --out ending in .json, else yaml)').choices(['yaml', 'json']))
    .action((file: string, options: ImportCommandOptions) => {
      setExit(importCommand(file, options, io));
    });
};
