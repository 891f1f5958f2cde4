/**
 * Section 3's in-process figure, in a process of its own (what the other sections left on the
 * heap and in the JIT's type feedback is not this workload's): 1,000 blockdev-add/blockdev-del
 * pairs of null-co nodes through execute(), timed round by round after the JIT has settled (no
 * forced collection: a full collection in the middle slows the rounds after it for a while).
 * Prints its figures as JSON.
 */
import { createPermgraph, createVirtualStorage } from '../src/index.js';
import { ok } from './graphs.js';
import { median } from './measure.js';

export interface PairsFigures {
  /** The first round in a fresh process, JIT still cold. */
  readonly coldSeconds: number;
  readonly bestSeconds: number;
  readonly medianSeconds: number;
  readonly warmUpRounds: number;
  readonly timedRounds: number;
}

const PAIRS = 1000;
const WARM_UP = 20;
const TIMED = 15;

const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(), nodeActors: false });
const times: number[] = [];
for (let round = 0; round < WARM_UP + TIMED; round++) {
  const start = performance.now();
  for (let i = 0; i < PAIRS; i++) {
    ok(pg, 'blockdev-add', { driver: 'null-co', 'node-name': `r${round}n${i}` });
    ok(pg, 'blockdev-del', { 'node-name': `r${round}n${i}` });
  }
  times.push((performance.now() - start) / 1000);
}
const timed = times.slice(WARM_UP);
const figures: PairsFigures = {
  coldSeconds: times[0]!,
  bestSeconds: Math.min(...timed),
  medianSeconds: median(timed),
  warmUpRounds: WARM_UP,
  timedRounds: TIMED,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
if (process.argv.includes('--rounds')) process.stderr.write(`${times.map((t) => (t * 1000).toFixed(1)).join(' ')} ms\n`);
