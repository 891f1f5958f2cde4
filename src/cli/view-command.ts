/** `permgraph view FILE`: serves the web viewer for a scenario on 127.0.0.1 and prints its URL. */
import { viewData } from '../view/view-data.js';
import { startViewServer, ViewerNotBuiltError } from '../view/view-server.js';
import { webRoot } from '../view/web-root.js';
import type { StorageKind } from '../scenario/play.js';
import { storageOption, type RegisterCommand } from './command-kit.js';
import { UsageError } from './errors.js';

export interface ViewCommandOptions {
  readonly port: string;
  readonly storage: StorageKind;
}

function portOf(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`view: --port ${text}: give a port from 0 to 65535`);
  return Number(text);
}

/** Checks the arguments and loads the data at once (bad input is exit 2); resolves when stopped. */
export function viewCommand(file: string, options: ViewCommandOptions, write: (text: string) => void): Promise<number> {
  const port = portOf(options.port);
  const data = viewData(file, options.storage);
  return serve(data, port, write);
}

async function serve(data: unknown, port: number, write: (text: string) => void): Promise<number> {
  const server = await startViewServer({ webRoot: webRoot(), data, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new UsageError(`view: port ${port} is in use`);
    throw error instanceof ViewerNotBuiltError ? new UsageError(`view: ${error.message}`) : error;
  });
  write(`${server.url}\n`);
  await new Promise<void>((stopped) => {
    const stop = (): void => stopped();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await server.close();
  return 0;
}

export const registerViewCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('view')
    .description('serve a web viewer that steps through a scenario in every model (two side by side), on 127.0.0.1; prints its URL')
    .argument('<file>', 'the scenario')
    .option('--port <n>', 'port (0: any free one)', '0')
    .addOption(storageOption('virtual or real files, as for run'))
    .action((file: string, options: ViewCommandOptions) => {
      setExit(viewCommand(file, options, io.stdout));
    });
};
