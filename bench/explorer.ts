/**
 * The explorer's speed: distinct states per second for `permgraph check` on the default universe
 * (one core, the whole reachable space), and where a transition's time goes: the core's command
 * (dispatch) against the explorer's own work (canonical state key, dedup and invariant checks).
 * Run: `node --expose-gc --import tsx bench/explorer.ts` (add `--json` for a JSON line).
 */
import { DEFAULT_UNIVERSE } from '../src/check/default-universe.js';
import { explore } from '../src/check/explore.js';
import { stateKey } from '../src/check/state-key.js';
import { World, type WorldState } from '../src/check/world.js';
import type { Model } from '../src/graph/types.js';
import { gc, median } from './measure.js';

const MODELS: Model[] = ['dynamic', 'qemu-7.2'];
const DEPTH = 10;
const ROUNDS = 7;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface Figures {
  states: number;
  transitions: number;
  statesPerSecond: number;
  transitionsPerSecond: number;
  usPerTransition: number;
  usCorePerTransition: number;
  /** What the explorer adds to the core's command: state key, dedup, invariant checks. */
  usExplorerPerTransition: number;
}

/** Every state of an exploration, for timing the parts on the same work. */
function reachable(world: World): WorldState[] {
  const out: WorldState[] = [world.initial];
  const seen = new Set([stateKey(world.initial.graph, world.initial.storage.key)]);
  for (let at = 0; at < out.length; at++) {
    for (let c = 0; c < world.commands.length; c++) {
      const next = world.step(out[at]!, c).state;
      const key = stateKey(next.graph, next.storage.key);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(next);
      }
    }
  }
  return out;
}

function measure(model: Model): Figures {
  for (let i = 0; i < 3; i++) explore(new World(DEFAULT_UNIVERSE, { model }), { depth: DEPTH }); // warm-up
  const rates: number[] = [];
  let last = explore(new World(DEFAULT_UNIVERSE, { model }), { depth: DEPTH });
  for (let i = 0; i < ROUNDS; i++) {
    gc();
    last = explore(new World(DEFAULT_UNIVERSE, { model }), { depth: DEPTH });
    rates.push(last.elapsedMs);
  }
  const ms = median(rates);

  // the same transitions, the core alone (median of the rounds)
  const world = new World(DEFAULT_UNIVERSE, { model });
  const states = reachable(world);
  const core: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    gc();
    const start = performance.now();
    for (const state of states) for (let c = 0; c < world.commands.length; c++) world.step(state, c);
    core.push(((performance.now() - start) * 1000) / (states.length * world.commands.length));
  }
  const coreUs = median(core);

  return {
    states: last.states,
    transitions: last.transitions,
    statesPerSecond: Math.round((last.states / ms) * 1000),
    transitionsPerSecond: Math.round((last.transitions / ms) * 1000),
    usPerTransition: (ms * 1000) / last.transitions,
    usCorePerTransition: coreUs,
    usExplorerPerTransition: (ms * 1000) / last.transitions - coreUs,
  };
}

const results: Record<string, Figures> = {};
log(`explorer on the default universe (${DEFAULT_UNIVERSE.name}), whole reachable space, median of ${ROUNDS} runs, one core`);
for (const model of MODELS) {
  const f = (results[model] = measure(model));
  log(
    `  ${model.padEnd(9)} ${f.states} states, ${f.transitions} transitions: ${f.statesPerSecond} distinct states/s ` +
      `(${f.transitionsPerSecond} transitions/s, ${f.usPerTransition.toFixed(1)} µs each: the core's command ${f.usCorePerTransition.toFixed(1)} µs, ` +
      `the explorer's key, dedup and invariants ${f.usExplorerPerTransition.toFixed(1)} µs); target 20000 states/s`,
  );
}
if (process.argv.includes('--json')) log(JSON.stringify({ explorer: results }));
