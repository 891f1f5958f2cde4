/**
 * Section 4 of `npm run bench`, in a process of its own so that its RSS is the graph's and not
 * what the other sections left behind: prints its figures as JSON.
 */
import { createPermgraph, createVirtualStorage, type Permgraph } from '../src/index.js';
import { chain, ok } from './graphs.js';
import { gc, heapMiB, rssMiB } from './measure.js';

export interface MemoryFigures {
  readonly nodes: number;
  readonly actors: number;
  readonly rssStartMiB: number;
  readonly rssWithGraphMiB: number;
  readonly heapStartMiB: number;
  readonly heapWithGraphMiB: number;
  readonly heapAfterRoundsMiB: readonly number[];
  readonly eager: { readonly nodes: number; readonly actors: number; readonly rssBeforeMiB: number; readonly rssWithGraphMiB: number };
}

const size = process.argv.includes('--quick') ? 10_000 : 100_000;
// 'lazy' actors: one only for each node somebody inspects (here every 1,000th node)
const inspect = (pg: Permgraph, prefix: string, count: number): void => {
  for (let i = 0; i < count; i += 1000) pg.nodeActor(`${prefix}${i}`);
};

gc();
const heapStart = heapMiB();
const rssStart = rssMiB();
let pg = chain('dynamic', size, 'lazy');
inspect(pg, 'n', size / 2);
inspect(pg, 'f', size / 2);
gc();
const rssFull = rssMiB();
const heapFull = heapMiB();
const actors = pg.nodeActorCount;
pg.dispose();
gc();
const heaps: number[] = [];
for (let round = 0; round < 10; round++) {
  pg = createPermgraph({ model: 'dynamic', storage: createVirtualStorage(), nodeActors: 'lazy' });
  for (let i = 0; i < size; i++) ok(pg, 'blockdev-add', { driver: 'null-co', 'node-name': `m${i}` });
  inspect(pg, 'm', size);
  for (let i = 0; i < size; i++) ok(pg, 'blockdev-del', { 'node-name': `m${i}` });
  pg.dispose();
  gc();
  heaps.push(heapMiB());
}
// for comparison: an actor for every node from its open on (the default), at a tenth of the size
gc();
const rssBeforeEager = rssMiB();
const eagerSize = size / 10;
const eager = chain('dynamic', eagerSize, true);
gc();
const figures: MemoryFigures = {
  nodes: size,
  actors,
  rssStartMiB: rssStart,
  rssWithGraphMiB: rssFull,
  heapStartMiB: heapStart,
  heapWithGraphMiB: heapFull,
  heapAfterRoundsMiB: heaps,
  eager: { nodes: eagerSize, actors: eager.nodeActorCount, rssBeforeMiB: rssBeforeEager, rssWithGraphMiB: rssMiB() },
};
eager.dispose();
process.stdout.write(`${JSON.stringify(figures)}\n`);
