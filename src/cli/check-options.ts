/** The options of `permgraph check`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultWorkers } from '../check/explore-parallel.js';
import { modelOption } from './command-kit.js';

function whole(what: string, least: number, most = Infinity): (value: string) => number {
  const range = most < Infinity ? `, from ${least} to ${most}` : least ? `, at least ${least}` : '';
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < least || Number(value) > most) throw new InvalidArgumentError(`a whole number of ${what}${range}`);
    return Number(value);
  };
}

/** More threads than this only share the cores more finely (and each holds a world of its own). */
const MOST_WORKERS = 4 * defaultWorkers();

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError('a number of seconds above 0');
  return n;
}

export function checkOptions(command: Command): Command {
  return command
    .addOption(modelOption("read-only model (default: the universe's, else dynamic)"))
    .option('--universe <file>', 'the universe (JSON or YAML); default: the libvirt chain with an export and a commit')
    .addOption(new Option('--depth <n>', 'longest command sequence explored (default: no bound)').argParser(whole('commands', 0)))
    .addOption(new Option('--max-states <n>', 'stop once this many distinct states are known').argParser(whole('states', 1)))
    .addOption(new Option('--time <seconds>', 'stop after this long').argParser(seconds))
    .addOption(new Option('--workers <n>', 'explorer threads (default: one per core, at most four a core; 1: this thread alone)').argParser(whole('threads', 1, MOST_WORKERS)).default(defaultWorkers(), 'one per core'))
    .option('--checkpoint <file>', 'write where the search stands to this file, every --checkpoint-every seconds and when a bound stops it')
    .addOption(new Option('--checkpoint-every <seconds>', 'seconds between checkpoints').argParser(seconds).default(60))
    .option('--resume <file>', 'carry on from a checkpoint of the same universe and model')
    .option('--no-symmetry', "count states that differ only by interchangeable names apart (symmetry reduction is on by default where the universe has any)")
    .option('--por', 'partial-order reduction: skip commands on disjoint parts of the graph by sleep sets (fewer transitions, every state still visited; one thread, no symmetry reduction)')
    .option('--out <file>', "where a counterexample scenario is written ('-' for stdout; default <universe>.counterexample.yaml)")
    .option('--allow-quirks', "go on past QEMU's own documented breaks of an invariant (the failed stream's leaked backend), in the QEMU models")
    .option('--print-universe', 'print the universe (e.g. the default one, to start your own from) and stop');
}
