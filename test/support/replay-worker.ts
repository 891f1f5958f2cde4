/**
 * Runs one oracle scenario through permgraph and prints the normalized steps as JSON. The tests
 * start it as the scenario's user (nobody) so that file modes mean what they meant to the daemon.
 * Usage: replay-worker.ts NAME MODEL WORKDIR
 */
import { replay } from './oracle.js';
import type { Model } from '../../src/index.js';

const [name, model, workdir] = process.argv.slice(2);
if (!name || !model || !workdir) {
  process.stderr.write('usage: replay-worker.ts NAME MODEL WORKDIR\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(replay(name, model as Model, workdir)));
