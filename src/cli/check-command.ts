/**
 * `permgraph check`: explores every command sequence of a universe (up to a depth, a number of
 * states or a time, or to exhaustion), on every core, checks the invariants in every state, and on
 * a violation writes the shortest counterexample as a scenario that `permgraph run` replays. A
 * progress line (depth, states, states/s, queue) is drawn on a terminal; long runs write
 * checkpoints to resume from.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { readCheckpoint, writeCheckpoint } from '../check/checkpoint.js';
import { counterexampleScenario, scenarioYaml } from '../check/counterexample.js';
import { DEFAULT_UNIVERSE } from '../check/default-universe.js';
import { explore, type ExploreOptions, type ExploreResult } from '../check/explore.js';
import { exploreParallel } from '../check/explore-parallel.js';
import { loadUniverse, type Universe } from '../check/universe.js';
import { World } from '../check/world.js';
import type { Model } from '../graph/types.js';
import { formatViolation, INVARIANT_FACTS } from '../invariants/index.js';
import { progressBar, type ProgressStream } from './check-progress.js';
import { checkOptions } from './check-options.js';
import type { RegisterCommand } from './command-kit.js';
import { UsageError } from './errors.js';

export type { ProgressStream } from './check-progress.js';

export interface CheckCommandOptions {
  readonly model?: Model;
  /** The longest command sequence explored (default: none). */
  readonly depth?: number;
  readonly universe?: string;
  /** Where the counterexample goes ('-' for stdout). */
  readonly out?: string;
  readonly printUniverse?: boolean;
  /** Go on past QEMU's own documented breaks of an invariant (reported as quirks). */
  readonly allowQuirks?: boolean;
  /** Explorer threads (default: one per core; 1 explores on this thread). */
  readonly workers?: number;
  readonly maxStates?: number;
  /** Seconds. */
  readonly time?: number;
  readonly checkpoint?: string;
  /** Seconds between checkpoints. */
  readonly checkpointEvery?: number;
  readonly resume?: string;
  /** Tell states apart up to the universe's symmetry (commander's --no-symmetry sets it false). */
  readonly symmetry?: boolean;
  /** Skip commands by sleep sets (on one thread, without symmetry reduction or checkpoints). */
  readonly por?: boolean;
}

function summary(result: ExploreResult, options: CheckCommandOptions, workers: number): string {
  const seconds = result.elapsedMs / 1000;
  const rate = Math.round(result.states / Math.max(seconds, 1e-3));
  const bound = result.found
    ? 'stopped at the first violation'
    : result.exhausted
      ? 'every reachable state visited'
      : result.stopped === 'max-states'
        ? `stopped at --max-states ${options.maxStates}`
        : result.stopped === 'time'
          ? `stopped at --time ${options.time}`
          : `bounded at ${options.depth}`;
  const of = options.depth === undefined ? '' : ` of ${options.depth}`;
  const reduced = result.symmetry ? `, ${result.symmetry.statesUnreduced} states before symmetry reduction (group of ${result.symmetry.group})` : '';
  const memory = `store ${(result.storeBytes / 2 ** 20).toFixed(1)} MiB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB${reduced}`;
  return `${result.states} states, ${result.transitions} transitions, depth reached ${result.depthReached}${of} (${bound}), ${seconds.toFixed(2)} s, ${rate} states/s, ${workers} thread${workers === 1 ? '' : 's'}, ${memory}`;
}

/** Returns the exit status: 0 nothing broke, 1 a counterexample was found. Bad input throws ScenarioError. */
export async function checkCommand(options: CheckCommandOptions, write: (text: string) => void, progress: ProgressStream = process.stderr): Promise<number> {
  const universe = options.universe ? loadUniverse(options.universe) : DEFAULT_UNIVERSE;
  if (options.printUniverse) {
    write(stringify(universe, { lineWidth: 0 }));
    return 0;
  }
  const model = options.model ?? universe.model ?? 'dynamic';
  const world = new World(universe, { model });
  if (options.por && (options.checkpoint || options.resume)) throw new UsageError('--por keeps its sleep sets in memory: it takes no --checkpoint or --resume');
  const workers = options.por ? 1 : (options.workers ?? 1);
  const bounds = [options.depth !== undefined ? `depth ${options.depth}` : '', options.maxStates !== undefined ? `at most ${options.maxStates} states` : '', options.time !== undefined ? `at most ${options.time} s` : ''].filter(Boolean);
  write(`# universe ${universe.name} (model ${model}): ${world.commands.length} commands, ${bounds.length ? bounds.join(', ') : 'to exhaustion'}\n`);
  const bar = progressBar(progress, options.maxStates);
  const exploreOptions = explorerOptions(options, universe, model, bar?.update);
  const result = workers > 1 ? await exploreParallel(world, workers, exploreOptions) : explore(world, exploreOptions);
  bar?.update({ states: result.states, transitions: result.transitions, depth: result.depthReached, queue: 0, elapsedMs: result.elapsedMs });
  bar?.stop();
  write(`${summary(result, options, workers)}\n`);
  if (result.stopped && options.checkpoint) write(`checkpoint written to ${options.checkpoint}; carry on with --resume ${options.checkpoint}\n`);
  if (!result.found) {
    write(`no invariant broken (${INVARIANT_FACTS.length} invariants checked in every state)\n`);
    return 0;
  }
  for (const v of result.found.violations) write(`INVARIANT ${formatViolation(v)}\n`);
  const file = options.out ?? `${universe.name}.counterexample.yaml`;
  const yaml = scenarioYaml(counterexampleScenario(world, result.found.path, result.found.violations), file === '-' ? 'FILE' : file);
  if (file === '-') {
    write(yaml);
  } else {
    writeFileSync(file, yaml);
    write(`counterexample (${result.found.path.length} commands after the start) written to ${file}; replay with: permgraph run ${file}\n`);
  }
  return 1;
}

function explorerOptions(options: CheckCommandOptions, universe: Universe, model: Model, onProgress: ExploreOptions['onProgress']): ExploreOptions {
  const { checkpoint } = options;
  const symmetry = options.symmetry !== false && !options.por;
  return {
    symmetry,
    ...(options.por ? { sleepSets: true } : {}),
    ...(options.depth !== undefined ? { depth: options.depth } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.time !== undefined ? { timeMs: options.time * 1000 } : {}),
    ...(options.allowQuirks ? { allowQuirks: true } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(options.resume ? { resume: readCheckpoint(options.resume, universe, model, symmetry) } : {}),
    ...(checkpoint
      ? { onLevel: (level) => writeCheckpoint(checkpoint, universe, model, symmetry, level), checkpointEveryMs: (options.checkpointEvery ?? 60) * 1000 }
      : {}),
  };
}

export const registerCheckCommand: RegisterCommand = (program, { io, setExit }) => {
  const command = program.command('check').description('explore every command sequence of a universe and check the invariants in every state');
  checkOptions(command).action((options: CheckCommandOptions) => {
    setExit(checkCommand(options, io.stdout));
  });
};
