/**
 * fast-check command sequences over a universe: each sequence starts from the universe's first
 * state and takes random commands, the invariants checked after every one. A failure is shrunk
 * by fast-check, replayed to its first broken step and written out as a scenario file that
 * `permgraph run` reproduces; the error names the seed and the file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { counterexampleScenario, scenarioYaml } from '../../../src/check/counterexample.js';
import { commandLabel, type Universe } from '../../../src/check/universe.js';
import { World, type WorldOptions, type WorldState } from '../../../src/check/world.js';
import { checkStep, formatViolation, type Violation } from '../../../src/invariants/index.js';

interface Real {
  state: WorldState;
}

class InvariantBroken extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(violations.map(formatViolation).join('\n'));
  }
}

/** The invariants after taking command `index` from `state`. */
function stepChecked(world: World, state: WorldState, index: number): { state: WorldState; violations: readonly Violation[] } {
  const stepped = world.step(state, index);
  if (stepped.state === state) return { state, violations: [] };
  const command = commandLabel(world.commands[index]!);
  const violations = checkStep(state.graph, stepped.state.graph, { command, ...(stepped.reply ? { reply: stepped.reply } : {}) }, { storage: stepped.state.storage.storage });
  return { state: stepped.state, violations };
}

class UniverseStep implements fc.Command<object, Real> {
  constructor(
    private readonly world: World,
    readonly index: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(_model: object, real: Real): void {
    const { state, violations } = stepChecked(this.world, real.state, this.index);
    real.state = state;
    if (violations.length) throw new InvariantBroken(violations);
  }
  toString(): string {
    return commandLabel(this.world.commands[this.index]!);
  }
}

export interface SequenceOptions {
  readonly numRuns: number;
  readonly maxCommands: number;
  readonly seed?: number;
  /** Where a failing case's scenario is written. */
  readonly outDir: string;
}

export interface SequenceFailure {
  readonly seed: number;
  /** The shrunk sequence, up to its first broken step (command numbers of the universe). */
  readonly path: readonly number[];
  readonly violations: readonly Violation[];
  readonly scenarioFile: string;
  /** fast-check's report (seed, replay path, shrunk sequence) plus where the scenario is. */
  readonly message: string;
}

export interface SequenceOutcome {
  readonly runs: number;
  readonly failure?: SequenceFailure;
}

export function checkSequences(universe: Universe, worldOptions: WorldOptions, options: SequenceOptions): SequenceOutcome {
  const world = new World(universe, worldOptions);
  const steps = world.commands.map((_, i) => fc.constant(new UniverseStep(world, i)));
  const property = fc.property(fc.commands(steps, { maxCommands: options.maxCommands }), (commands) => {
    fc.modelRun(() => ({ model: {}, real: { state: world.initial } }), commands);
  });
  const details = fc.check(property, { numRuns: options.numRuns, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  if (!details.failed) return { runs: details.numRuns };

  // replay the shrunk sequence to its first broken step
  // fast-check hands back its own wrappers ({cmd, hasRan}) around our commands
  const shrunk = [...(details.counterexample?.[0] ?? [])].map((c) => ('cmd' in c ? (c as { cmd: UniverseStep }).cmd : (c as UniverseStep)));
  const path: number[] = [];
  let state = world.initial;
  let violations: readonly Violation[] = [];
  for (const step of shrunk) {
    path.push(step.index);
    ({ state, violations } = stepChecked(world, state, step.index));
    if (violations.length) break;
  }
  if (!violations.length) throw new Error(`the failing sequence did not break an invariant on replay:\n${fc.defaultReportMessage(details) ?? ''}`);
  mkdirSync(options.outDir, { recursive: true });
  const scenarioFile = join(options.outDir, `${universe.name}-${worldOptions.model}-seed${details.seed}.yaml`);
  writeFileSync(scenarioFile, scenarioYaml(counterexampleScenario(world, path, violations), scenarioFile));
  const message =
    `${fc.defaultReportMessage(details) ?? ''}\n` +
    `invariants broken after ${path.length} commands (seed ${details.seed}):\n  ${violations.map(formatViolation).join('\n  ')}\n` +
    `scenario written to ${scenarioFile}; replay it with: permgraph run ${scenarioFile}`;
  return { runs: details.numRuns, failure: { seed: details.seed, path, violations, scenarioFile, message } };
}
