/**
 * `npm run bench`: the speed and memory figures of docs/performance.md. Writes
 * docs/performance.json and docs/performance.svg and prints a table. Sizes can be cut down for a
 * quick look: `npm run bench -- --quick`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPermgraph, createVirtualStorage, type Model } from '../src/index.js';
import { chain, forest, ok } from './graphs.js';
import { gc, heapMiB, median, rssMiB, timeEach } from './measure.js';
import { plot } from './plot.js';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [100, 1_000, 10_000] : [100, 1_000, 10_000, 100_000];
const MODELS: Model[] = ['qemu-7.2', 'dynamic'];
const REPS = 200;
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
};
const log = (line: string): void => void process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- 1. flat cost
type Series = Record<string, Record<number, number>>;
const flat: Series = {};
const note = (series: string, size: number, us: number): void => {
  (flat[series] ??= {})[size] = us;
  log(`  ${series.padEnd(44)} ${String(size).padStart(7)} nodes: ${us.toFixed(1)} µs median`);
};

log('1. cost per command against graph size (median µs)');
for (const model of MODELS) {
  for (const size of SIZES) {
    const pg = chain(model, size);
    const top = `n${(Math.max(1, size >> 1)) - 1}`;
    const exportTimes = timeEach(REPS, (i) => {
      ok(pg, 'block-export-add', { type: 'nbd', id: `w${i}`, 'node-name': top, writable: true, name: `w${i}` });
      ok(pg, 'block-export-del', { id: `w${i}` });
    });
    note(`${model}: writable export on/off at a chain's top`, size, median(exportTimes) / 2);
    let k = 0;
    const overlay = timeEach(REPS, () => {
      const name = `o${k++}`;
      ok(pg, 'blockdev-add', { driver: 'null-co', 'node-name': name });
      ok(pg, 'blockdev-del', { 'node-name': name });
    });
    note(`${model}: node added and deleted beside a chain`, size, median(overlay) / 2);
    pg.dispose();
    const { pg: woods, all } = forest(model, size);
    let r = 7;
    const random = timeEach(REPS, (i) => {
      r = (r * 1103515245 + 12345) % 2147483648;
      const node = all[(r >>> 8) % all.length]!;
      ok(woods, 'block-export-add', { type: 'nbd', id: `r${i}`, 'node-name': node, name: `r${i}` });
      ok(woods, 'block-export-del', { id: `r${i}` });
    });
    note(`${model}: export on/off on a random node of a forest`, size, median(random) / 2);
    woods.dispose();
    gc();
  }
}
results['flat'] = flat;

// ---------------------------------------------------------------- 2. throughput
log('2. throughput: random commands over a 10,000-node forest');
{
  const count = quick ? 100_000 : 1_000_000;
  const { pg, all, tops } = forest('dynamic', 10_000);
  let r = 11;
  // the low bits of this generator cycle quickly: use the high ones
  const next = (): number => (r = (r * 1103515245 + 12345) % 2147483648) >>> 8;
  const exported: string[] = [];
  let extra = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const kind = next() % 6;
    if (kind === 0) {
      const id = `t${i}`;
      pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id, 'node-name': tops[next() % tops.length]!, writable: true, name: id } });
      exported.push(id);
    } else if (kind === 1 && exported.length) {
      pg.execute({ execute: 'block-export-del', arguments: { id: exported.pop()! } });
    } else if (kind === 2) {
      pg.execute({ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': `x${extra++}` } });
    } else if (kind === 3 && extra > 0) {
      pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': `x${--extra}` } });
    } else if (kind === 4) {
      pg.execute({ execute: 'blockdev-del', arguments: { 'node-name': all[next() % all.length]! } });
    } else {
      pg.execute({ execute: 'query-block-exports' });
    }
  }
  const seconds = (performance.now() - start) / 1000;
  results['throughput'] = { commands: count, seconds, perSecond: count / seconds };
  log(`  ${count} commands in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} commands/s`);
  pg.dispose();
  gc();
}

// ---------------------------------------------------------------- 3. against the daemon
log('3. 1,000 blockdev-add/blockdev-del pairs of null-co nodes');
async function qmpPairs(socket: string, pairs: number): Promise<number> {
  const client = connect(socket);
  client.setEncoding('utf8');
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  client.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      if (!line.includes('"event"')) waiting.shift()?.(line);
    }
  });
  const send = (text: string): Promise<string> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      client.write(`${text}\n`);
    });
  await new Promise<void>((resolve) => waiting.push(() => resolve()));
  await send('{"execute": "qmp_capabilities"}');
  const start = performance.now();
  for (let i = 0; i < pairs; i++) {
    await send(`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n${i}"}}`);
    await send(`{"execute": "blockdev-del", "arguments": {"node-name": "n${i}"}}`);
  }
  const seconds = (performance.now() - start) / 1000;
  client.destroy();
  return seconds;
}

async function server(argv: string[], socket: string): Promise<() => void> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 25));
  return () => child.kill('SIGTERM');
}

{
  const pairs = 1000;
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-bench-'));
  const figures: Record<string, number> = {};
  const inProcess = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(), nodeActors: false });
  const start = performance.now();
  for (let i = 0; i < pairs; i++) {
    ok(inProcess, 'blockdev-add', { driver: 'null-co', 'node-name': `n${i}` });
    ok(inProcess, 'blockdev-del', { 'node-name': `n${i}` });
  }
  figures['in-process'] = (performance.now() - start) / 1000;
  const cli = join(process.cwd(), 'dist/src/cli/main.js');
  const pgSocket = join(dir, 'pg.sock');
  const stopPg = await server([process.execPath, cli, 'qmp', '--socket', pgSocket, '--model', 'qemu-7.2'], pgSocket);
  figures['permgraph qmp'] = await qmpPairs(pgSocket, pairs);
  stopPg();
  let daemon = false;
  try {
    execFileSync('sh', ['-c', 'command -v qemu-storage-daemon'], { stdio: 'ignore' });
    daemon = true;
  } catch {
    log('  qemu-storage-daemon is not installed: no comparison');
  }
  if (daemon) {
    const qsdSocket = join(dir, 'qsd.sock');
    const stopQsd = await server(
      ['qemu-storage-daemon', '--chardev', `socket,path=${qsdSocket},server=on,wait=off,id=m0`, '--monitor', 'chardev=m0'],
      qsdSocket,
    );
    figures['qemu-storage-daemon'] = await qmpPairs(qsdSocket, pairs);
    stopQsd();
  }
  rmSync(dir, { recursive: true, force: true });
  for (const [what, seconds] of Object.entries(figures)) {
    const ratio = figures['qemu-storage-daemon'] ? ` (${(figures['qemu-storage-daemon'] / seconds).toFixed(1)}× the daemon's speed)` : '';
    log(`  ${what.padEnd(22)} ${seconds.toFixed(3)} s${ratio}`);
  }
  results['daemon'] = figures;
}

// ---------------------------------------------------------------- 4. memory
log('4. memory: a 100,000-node graph with one actor per node');
{
  gc();
  const heapStart = heapMiB();
  const rssStart = rssMiB();
  const size = quick ? 10_000 : 100_000;
  let pg = chain('dynamic', size, true);
  const rssFull = rssMiB();
  const actors = pg.nodeActorCount;
  pg.dispose();
  gc();
  const heaps: number[] = [];
  for (let round = 0; round < 10; round++) {
    pg = createPermgraph({ model: 'dynamic', storage: createVirtualStorage(), nodeActors: true });
    for (let i = 0; i < size; i++) ok(pg, 'blockdev-add', { driver: 'null-co', 'node-name': `m${i}` });
    for (let i = 0; i < size; i++) ok(pg, 'blockdev-del', { 'node-name': `m${i}` });
    pg.dispose();
    gc();
    heaps.push(heapMiB());
  }
  results['memory'] = { nodes: size, actors, rssStartMiB: rssStart, rssWithGraphMiB: rssFull, heapStartMiB: heapStart, heapAfterRoundsMiB: heaps };
  log(`  RSS ${rssStart.toFixed(0)} MiB at start, ${rssFull.toFixed(0)} MiB with ${size} nodes and ${actors} actors`);
  log(`  heap after GC: ${heapStart.toFixed(1)} MiB at start; after each of 10 add-and-remove rounds: ${heaps.map((h) => h.toFixed(1)).join(', ')} MiB`);
}

// ---------------------------------------------------------------- 5. start-up
log('5. start-up: permgraph run on a small example');
{
  const times = timeEach(10, () => {
    execFileSync(process.execPath, ['dist/src/cli/main.js', 'run', 'examples/export-auto-read-only.yaml'], { stdio: 'ignore' });
  }).map((us) => us / 1e6);
  results['startup'] = { medianSeconds: median(times) };
  log(`  median ${median(times).toFixed(3)} s wall over 10 runs`);
}

writeFileSync('docs/performance.json', `${JSON.stringify(results, null, 1)}\n`);
writeFileSync('docs/performance.svg', plot(flat, SIZES));
log('wrote docs/performance.json and docs/performance.svg');
