/**
 * `permgraph check` at scale, each run a fresh `permgraph check` process from the built package
 * (dist/, so explorer threads start as plain modules): the universes of examples/universes/ in
 * both models, on one thread and on two, with their state counts, times, rates and peak memory
 * (the process's peak resident set, threads included). Run after `npm run build`:
 * `node --import tsx bench/explorer-scale.ts [--quick] [--json]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const quick = process.argv.includes('--quick');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

export interface Run {
  readonly universe: string;
  readonly model: string;
  readonly workers: number;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly exhausted: boolean;
  readonly peakRssMiB: number;
  readonly storeMiB: number;
  /** States before the reductions, where they cut any (from the orbit sizes). */
  readonly statesUnreduced?: number;
}

const SUMMARY = /^(\d+) states, (\d+) transitions, depth reached (\d+)(?: of \d+)? \((.*?)\), ([\d.]+) s, (\d+) states\/s, \d+ threads?, store ([\d.]+) MiB, peak RSS (\d+) MiB(?:, (\d+) states before symmetry reduction \(group of \d+\))?$/m;

export function check(universe: string, model: string, workers: number, extra: readonly string[] = []): Run {
  const run = spawnSync(process.execPath, ['dist/src/cli/main.js', 'check', '--universe', universe, '--model', model, '--workers', String(workers), '--out', '/dev/null', ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  // 0: nothing broke; 1: a counterexample (the figures are those of the search that found it)
  const out = run.status === 0 || run.status === 1 ? run.stdout : '';
  const m = SUMMARY.exec(out);
  if (!m) throw new Error(`no summary from permgraph check ${universe} (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  return {
    universe,
    model,
    workers,
    states: Number(m[1]),
    transitions: Number(m[2]),
    depth: Number(m[3]),
    exhausted: m[4] === 'every reachable state visited',
    seconds: Number(m[5]),
    statesPerSecond: Number(m[6]),
    storeMiB: Number(m[7]),
    peakRssMiB: Number(m[8]),
    ...(m[9] ? { statesUnreduced: Number(m[9]) } : {}),
  };
}

const line = (r: Run): string =>
  `  ${r.universe.replace('examples/universes/', '').padEnd(28)} ${r.model.padEnd(9)} ${r.workers} thread${r.workers > 1 ? 's' : ' '}: ` +
  `${r.states} states${r.statesUnreduced ? ` (${r.statesUnreduced} before reductions)` : ''}, ${r.transitions} transitions, depth ${r.depth}${r.exhausted ? ', exhausted' : ', NOT exhausted'}, ` +
  `${r.seconds.toFixed(1)} s, ${r.statesPerSecond} states/s, peak RSS ${r.peakRssMiB} MiB (store ${r.storeMiB} MiB)`;

/**
 * QEMU 7.2 and 10.0 break the refused-command invariant by design in 4layer: a refused stream
 * leaves its BlockBackend behind. The check stops there (its answer, in a second); past it, with
 * --allow-quirks, the leaked backends count once each (docs/testing.md), so the space ends.
 */
function fourLayers(runs: Run[]): void {
  const universe = 'examples/universes/4layer.yaml';
  const one = check(universe, 'dynamic', 1);
  const two = check(universe, 'dynamic', 2);
  const por = check(universe, 'dynamic', 1, ['--por']);
  runs.push(one, two, { ...por, universe: `${universe} --por` });
  for (const r of [one, two]) log(line(r));
  log(`${line({ ...por, universe: '4layer.yaml --por' })}`);
  log(`    two threads: ${(one.seconds / two.seconds).toFixed(2)}× one (target ≥ 1.7×); exhausted in ${two.seconds.toFixed(0)} s (target ≤ 25 s); no symmetry; sleep sets: ${por.transitions} of ${one.transitions} transitions`);
  for (const model of ['qemu-7.2', 'qemu-10.0']) {
    const leak = check(universe, model, 2);
    const past = check(universe, model, 2, ['--allow-quirks']);
    runs.push(leak, { ...past, universe: `${universe} --allow-quirks` });
    log(line(leak));
    log(line({ ...past, universe: '4layer.yaml --allow-quirks' }));
    log(`    ${model}: the stream's leaked backend found ${leak.depth} commands in, in ${leak.seconds.toFixed(1)} s; past it, exhausted in ${past.seconds.toFixed(0)} s (target ≤ 25 s)`);
  }
}

function scale(runs: Run[]): void {
  const run = check('examples/universes/five-disks.yaml', 'qemu-7.2', 2);
  runs.push(run);
  log(line(run));
  log(`    ${run.statesUnreduced ?? run.states} states before reductions (target ≥ 5,000,000), exhausted in ${run.seconds.toFixed(0)} s (target ≤ 600 s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync('dist/src/cli/main.js')) throw new Error('build first: npm run build');
  const runs: Run[] = [];
  if (quick) {
    for (const workers of [1, 2]) {
      const run = check('examples/universes/nbd-chain.yaml', 'dynamic', workers);
      runs.push(run);
      log(line(run));
    }
  } else {
    fourLayers(runs);
    scale(runs);
  }
  if (process.argv.includes('--json')) log(JSON.stringify({ scale: runs }));
}
