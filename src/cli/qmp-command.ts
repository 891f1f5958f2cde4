/**
 * `permgraph qmp`: one permgraph on real storage served as QMP, on a unix socket or on
 * stdin/stdout, until a client quits or SIGTERM/SIGINT; with --check-invariants, every broken
 * invariant goes to stderr.
 */
import { Option } from 'commander';
import { formatViolation } from '../invariants/index.js';
import { withInvariantChecks } from '../runtime/invariant-checks.js';
import { createPermgraph } from '../runtime/permgraph.js';
import { startQmpServer } from '../server/qmp-server.js';
import { createRealStorage } from '../host/real-storage.js';
import { modelOption, type CliIo, type ModelName, type RegisterCommand } from './command-kit.js';
import { UsageError } from './errors.js';

export interface QmpCommandOptions {
  readonly socket?: string;
  readonly stdio?: boolean;
  readonly model: ModelName;
  readonly checkInvariants?: boolean;
}

async function serveQmp(options: QmpCommandOptions, io: CliIo): Promise<number> {
  const storage = createRealStorage();
  // nothing asks a QMP client's permgraph for node actors: none are kept
  // the monitor's chardev, as `--chardev socket,id=qmp0,path=…,server=on,wait=off` would make it
  const monitors = options.socket ? [{ id: 'qmp0', path: options.socket }] : [];
  const permgraph = createPermgraph({ model: options.model, storage, nodeActors: false, monitors });
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

export const registerQmpCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('qmp')
    .description('serve QMP like qemu-storage-daemon, on a unix socket or on stdin/stdout')
    .addOption(new Option('--socket <path>', 'listen on this unix socket').conflicts('stdio'))
    .addOption(new Option('--stdio', 'speak QMP on stdin and stdout'))
    .addOption(modelOption('read-only model').default('dynamic'))
    .option('--check-invariants', 'check the invariant catalogue after every command; violations go to stderr')
    .action((options: QmpCommandOptions) => {
      if (!options.socket && !options.stdio) throw new UsageError('qmp: give --socket PATH or --stdio');
      setExit(serveQmp(options, io));
    });
};
