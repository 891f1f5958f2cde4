/**
 * `permgraph qsd ARGS…`: permgraph started the way qemu-storage-daemon is, so that a script that
 * starts the daemon can start permgraph instead by changing the program name. The options run in
 * order as the daemon runs them (storage-daemon/qemu-storage-daemon.c: process_options()):
 * `--blockdev`, `--object`, `--nbd-server` and `--export` as the QMP commands they stand for,
 * `--chardev` (unix sockets) and `--monitor` for QMP monitors, `--pidfile`, `--daemonize`, `-T`
 * (taken, no tracing), `-h`, `-V`. A failure is the daemon's: `qemu-storage-daemon: --OPT ARG:
 * ERROR` and exit status 1. The model is PERMGRAPH_MODEL's (default qemu-7.2), on real storage.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { MODELS, type Model } from '../../machines/node.types.js';
import { blockdevOptions } from '../drivers/blockdev-options.js';
import { createRealStorage } from '../host/real-storage.js';
import { blockExportOptions, objectOptions } from '../qapi/block-schema.js';
import { keyvalToQmp, parseKeyval } from '../qapi/keyval.js';
import { bool, enumOf, opt, req, str, struct, uint32, type QapiType } from '../qapi/schema.js';
import { visit } from '../qapi/visit.js';
import { QmpError } from '../messages/errors.js';
import type { QmpCommand } from '../qapi/reply.js';
import { createPermgraph, type Permgraph } from '../runtime/permgraph.js';
import type { MonitorChardev } from '../graph/chardevs.js';
import { startQmpServer } from '../server/qmp-server.js';
import type { CliIo, RegisterCommand } from './command-kit.js';
import { packageVersion } from './version.js';
import { parseQsdArgs, QSD_HELP, type QsdOption } from './qsd-args.js';

const PROGRAM = 'qemu-storage-daemon';
/** Set in the child a `--daemonize` starts; it reports startup on its IPC channel. */
const DAEMONIZED = 'PERMGRAPH_QSD_DAEMONIZED';

/** NbdServerOptions: `addr` a flat SocketAddress here, where nbd-server-start takes the legacy form. */
const nbdServerOptions: QapiType = struct(
  req('addr', {
    kind: 'union',
    discriminator: 'type',
    base: [req('type', enumOf('SocketAddressType', ['inet', 'unix', 'vsock', 'fd']))],
    variants: { inet: [req('host', str), req('port', str)], unix: [req('path', str), opt('abstract', bool), opt('tight', bool)], vsock: [req('cid', str), req('port', str)], fd: [req('str', str)] },
  }),
  opt('tls-creds', str),
  opt('tls-authz', str),
  opt('max-connections', uint32),
);

/** A `--OPT ARG` as QMP arguments: JSON when it starts with `{`, else key=value (with its implied first key). */
function argumentsOf(text: string, type: QapiType, implied?: string): Record<string, unknown> {
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new QmpError('GenericError', `JSON parse error, ${text}`);
    }
  }
  return keyvalToQmp(parseKeyval(text, implied), type) as Record<string, unknown>;
}

/** What the daemon's options set up besides the graph: monitors' sockets, the pid file, whether to daemonize. */
interface Startup {
  readonly chardevs: Map<string, string>;
  readonly monitors: string[];
  pidfile?: string;
  daemonize: boolean;
}

/** A `--chardev` (QemuOpts): a unix socket server is what a monitor can sit on. */
function chardev(text: string, startup: Startup): void {
  const [backend, ...rest] = text.split(',');
  const opts = Object.fromEntries(rest.map((pair) => [pair.split('=')[0]!, pair.slice(pair.indexOf('=') + 1)]));
  if (backend !== 'socket') throw new QmpError('GenericError', `chardev backend '${backend ?? ''}' cannot be simulated (socket can)`);
  if (!opts['id']) throw new QmpError('GenericError', "Parameter 'id' is missing");
  if (!opts['path']) throw new QmpError('GenericError', 'Unable to parse FD number ');
  startup.chardevs.set(opts['id'], opts['path']);
}

/**
 * The chardevs the monitors sit on, for query-chardev (chardevs touch nothing else, so they can be
 * made before the other options run); a bad one is left for runOption() to refuse.
 */
function monitorChardevs(options: readonly QsdOption[]): MonitorChardev[] {
  const paths = new Map<string, string>();
  for (const o of options.filter((o) => o.name === 'chardev')) {
    const opts = new Map((o.argument ?? '').split(',').map((pair) => [pair.split('=')[0]!, pair.slice(pair.indexOf('=') + 1)] as const));
    if (opts.get('id') && opts.get('path')) paths.set(opts.get('id')!, opts.get('path')!);
  }
  const used = new Set(options.filter((o) => o.name === 'monitor').map((o) => (o.argument ?? '').replace(/^chardev=/, '').split(',')[0]!));
  return [...paths].filter(([id]) => used.has(id)).map(([id, path]) => ({ id, path }));
}

/** One option, as the daemon does it; throws a QmpError with the daemon's text. */
function runOption(option: QsdOption, permgraph: Permgraph, startup: Startup): void {
  const text = option.argument ?? '';
  const execute = (command: QmpCommand): void => {
    const reply = permgraph.execute(command);
    if ('error' in reply) throw new QmpError('GenericError', reply.error.desc);
  };
  switch (option.name) {
    case 'blockdev':
      return execute({ execute: 'blockdev-add', arguments: argumentsOf(text, blockdevOptions, 'driver') });
    case 'object':
      return execute({ execute: 'object-add', arguments: argumentsOf(text, objectOptions, 'qom-type') });
    case 'export':
      return execute({ execute: 'block-export-add', arguments: argumentsOf(text, blockExportOptions, 'type') });
    case 'nbd-server': {
      // checked as NbdServerOptions (a flat address), then given as nbd-server-start's legacy one
      const { addr, ...rest } = visit(argumentsOf(text, nbdServerOptions), nbdServerOptions) as { addr?: { type?: string } & Record<string, unknown> };
      const { type, ...data } = addr ?? {};
      return execute({ execute: 'nbd-server-start', arguments: { ...rest, ...(addr ? { addr: { type, data } } : {}) } });
    }
    case 'chardev':
      return chardev(text, startup);
    case 'monitor': {
      const { chardev: id } = parseKeyval(text, 'chardev') as { chardev?: string };
      const path = id === undefined ? undefined : startup.chardevs.get(id);
      if (path === undefined) throw new QmpError('GenericError', `chardev "${id ?? ''}" not found`);
      startup.monitors.push(path);
      return;
    }
    case 'pidfile':
      startup.pidfile = text;
      return;
    case 'daemonize':
      startup.daemonize = true;
      return;
    default:
      return; // -T: no tracing here
  }
}

function modelOf(env: NodeJS.ProcessEnv): Model {
  const model = env['PERMGRAPH_MODEL'] ?? 'qemu-7.2';
  if (!(MODELS as readonly string[]).includes(model)) throw new Error(`PERMGRAPH_MODEL: not a model: '${model}' (${MODELS.join(', ')})`);
  return model as Model;
}

/**
 * `--daemonize`: the same command line again, detached, its standard streams closed; this process
 * prints what it reports over IPC and exits once it has started (0), or as it exits (its status).
 */
function daemonize(argv: readonly string[], io: CliIo): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'qsd', ...argv], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DAEMONIZED]: '1' },
  });
  return new Promise((resolve) => {
    child.on('message', (message: { stderr?: string; started?: boolean }) => {
      if (message.stderr) io.stderr(message.stderr);
      if (!message.started) return;
      child.removeAllListeners('exit');
      child.disconnect();
      child.unref();
      resolve(0);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** The daemon's life: options in order, then its monitors served until a client quits or a signal. */
export async function runQsd(argv: readonly string[], output: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let io = output;
  const options = parseQsdArgs(argv);
  if (typeof options === 'string') {
    io.stderr(`${PROGRAM}: ${options}\n`);
    return 1;
  }
  if (options.some((o) => o.name === 'help')) {
    io.stdout(QSD_HELP);
    return 0;
  }
  const model = modelOf(env);
  if (options.some((o) => o.name === 'version')) {
    io.stdout(`${PROGRAM} version 7.2.0 (permgraph ${packageVersion()}, model ${model})\n`);
    return 0;
  }
  if (options.some((o) => o.name === 'daemonize')) {
    if (env[DAEMONIZED] !== '1') return daemonize(argv, io);
    // the daemon's own complaints go to the process that started it
    io = { stdout: () => undefined, stderr: (text) => void process.send?.({ stderr: text }) };
  }
  const permgraph = createPermgraph({ model, storage: createRealStorage(), nodeActors: false, monitors: monitorChardevs(options) });
  const startup: Startup = { chardevs: new Map(), monitors: [], daemonize: false };
  for (const option of options) {
    try {
      runOption(option, permgraph, startup);
    } catch (error) {
      if (!(error instanceof QmpError)) throw error;
      io.stderr(`${PROGRAM}: --${option.name} ${option.argument ?? ''}: ${error.desc}\n`);
      permgraph.dispose();
      return 1;
    }
  }
  const server = await startQmpServer({ permgraph, socketPath: startup.monitors });
  if (startup.pidfile !== undefined) writeFileSync(startup.pidfile, `${process.pid}\n`);
  if (process.send) {
    process.send({ started: true });
    process.disconnect();
  }
  const stop = (): void => void server.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await server.closed;
  permgraph.dispose();
  // qemu_unlink_pidfile() at exit
  if (startup.pidfile !== undefined) rmSync(startup.pidfile, { force: true });
  return 0;
}

export const registerQsdCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('qsd')
    .description('run as qemu-storage-daemon, from its own command line (qemu-storage-daemon --help); model from PERMGRAPH_MODEL, default qemu-7.2')
    .helpOption(false)
    .passThroughOptions()
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]', "qemu-storage-daemon's options")
    .action((args: string[]) => setExit(runQsd(args, io)));
};
