/**
 * A path through a universe as a scenario file that `permgraph run` replays: the universe's files
 * and setup, its start, then the path's commands, each expecting the reply it got, with
 * `check-invariants: true` so the run itself reports what broke.
 */
import { stringify } from 'yaml';
import type { QmpReply } from '../qapi/reply.js';
import { formatViolation, type Violation } from '../invariants/index.js';
import type { Scenario, Step } from '../scenario/schema.js';
import type { UniverseCommand } from './universe.js';
import type { World } from './world.js';

function expectation(reply: QmpReply, workdir: string): NonNullable<Extract<Step, { execute: string }>['expect']> {
  if ('return' in reply) return { ok: true };
  return { class: reply.error.class, desc: reply.error.desc.replaceAll(workdir, '$W') };
}

function asStep(command: UniverseCommand, reply: QmpReply | undefined, workdir: string): Step {
  if ('execute' in command && reply) return { ...command, expect: expectation(reply, workdir) };
  return command;
}

/** The scenario that replays `path` (command numbers of the world's universe) from the first state. */
export function counterexampleScenario(world: World, path: readonly number[], violations: readonly Violation[]): Scenario {
  const { universe } = world;
  const steps: Step[] = universe.start.map((command) => asStep(command, 'execute' in command ? { return: {} } : undefined, world.workdir));
  let state = world.initial;
  for (const index of path) {
    const stepped = world.step(state, index);
    steps.push(asStep(universe.commands[index]!, stepped.reply, world.workdir));
    state = stepped.state;
  }
  const last = steps[steps.length - 1];
  if (last) steps[steps.length - 1] = { ...last, note: `breaks ${violations.map((v) => v.invariant).join(', ')}` };
  return {
    name: universe.name,
    description: `Counterexample found in universe ${universe.name}: ${violations.map(formatViolation).join('; ')}`,
    model: world.options.model,
    'check-invariants': true,
    ...(universe.files ? { files: universe.files } : {}),
    ...(universe.setup ? { setup: universe.setup } : {}),
    steps,
  };
}

/** The scenario as YAML, headed by how to replay it. */
export function scenarioYaml(scenario: Scenario, file: string): string {
  return `# Replay with: permgraph run ${file}\n${stringify(scenario, { lineWidth: 0 })}`;
}
