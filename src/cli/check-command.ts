/**
 * `permgraph check`: explores every command sequence of a universe up to a depth, checks the
 * invariants in every state, and on a violation writes the shortest counterexample as a scenario
 * that `permgraph run` replays. A progress line (states, depth, rate) is drawn on a terminal.
 */
import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option } from 'commander';
import { stringify } from 'yaml';
import { counterexampleScenario, scenarioYaml } from '../check/counterexample.js';
import { DEFAULT_UNIVERSE } from '../check/default-universe.js';
import { explore, type ExploreResult, type Progress } from '../check/explore.js';
import { loadUniverse } from '../check/universe.js';
import { World } from '../check/world.js';
import type { Model } from '../graph/types.js';
import { formatViolation, INVARIANT_FACTS } from '../invariants/index.js';
import { modelOption, type RegisterCommand } from './command-kit.js';

export interface CheckCommandOptions {
  readonly model?: Model;
  readonly depth: number;
  readonly universe?: string;
  /** Where the counterexample goes ('-' for stdout). */
  readonly out?: string;
  readonly printUniverse?: boolean;
  /** Go on past QEMU 7.2's own documented breaks of an invariant (reported as quirks). */
  readonly allowQuirks?: boolean;
}

/** Where the progress line is drawn: a terminal only. */
export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

export const DEFAULT_DEPTH = 8;

function progressBar(depth: number, stream: ProgressStream): { update(p: Progress): void; stop(): void } | null {
  if (!stream.isTTY) return null;
  const bar = new SingleBar({
    stream,
    format: 'exploring | depth {value}/{total} | {states} states | {transitions} transitions | {rate} states/s',
    hideCursor: true,
  });
  bar.start(depth, 0, { states: 1, transitions: 0, rate: 0 });
  return {
    update: (p) => bar.update(p.depth, { states: p.states, transitions: p.transitions, rate: Math.round((p.states / Math.max(p.elapsedMs, 1)) * 1000) }),
    stop: () => bar.stop(),
  };
}

function summary(result: ExploreResult, depth: number): string {
  const seconds = result.elapsedMs / 1000;
  const rate = Math.round(result.states / Math.max(seconds, 1e-3));
  const bound = result.found ? 'stopped at the first violation' : result.exhausted ? 'every reachable state visited' : `bounded at ${depth}`;
  return `${result.states} states, ${result.transitions} transitions, depth reached ${result.depthReached} of ${depth} (${bound}), ${seconds.toFixed(2)} s, ${rate} states/s`;
}

/** Returns the exit status: 0 nothing broke, 1 a counterexample was found. Bad input throws ScenarioError. */
export function checkCommand(options: CheckCommandOptions, write: (text: string) => void, progress: ProgressStream = process.stderr): number {
  const universe = options.universe ? loadUniverse(options.universe) : DEFAULT_UNIVERSE;
  if (options.printUniverse) {
    write(stringify(universe, { lineWidth: 0 }));
    return 0;
  }
  const model = options.model ?? universe.model ?? 'dynamic';
  const world = new World(universe, { model });
  write(`# universe ${universe.name} (model ${model}): ${world.commands.length} commands, depth ${options.depth}\n`);
  const bar = progressBar(options.depth, progress);
  const result = explore(world, { depth: options.depth, allowQuirks: options.allowQuirks === true, ...(bar ? { onProgress: bar.update } : {}) });
  bar?.update({ states: result.states, transitions: result.transitions, depth: result.depthReached, queue: 0, elapsedMs: result.elapsedMs });
  bar?.stop();
  write(`${summary(result, options.depth)}\n`);
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

function depthArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number of commands');
  return Number(value);
}

export const registerCheckCommand: RegisterCommand = (program, { io, setExit }) => {
  program
    .command('check')
    .description('explore every command sequence of a universe up to a depth and check the invariants in every state')
    .addOption(modelOption("read-only model (default: the universe's, else dynamic)"))
    .addOption(new Option('--depth <n>', 'longest command sequence explored').argParser(depthArg).default(DEFAULT_DEPTH))
    .option('--universe <file>', 'the universe (JSON or YAML); default: the libvirt chain with an export and a commit')
    .option('--out <file>', "where a counterexample scenario is written ('-' for stdout; default <universe>.counterexample.yaml)")
    .option('--allow-quirks', "go on past QEMU 7.2's own documented breaks of an invariant (the failed stream's leaked backend)")
    .option('--print-universe', 'print the universe (e.g. the default one, to start your own from) and stop')
    .action((options: CheckCommandOptions) => {
      setExit(checkCommand(options, io.stdout));
    });
};
