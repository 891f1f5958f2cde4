/**
 * `npm run bench`: the speed and memory figures of docs/performance.md. Writes
 * docs/performance.json and docs/performance.svg and prints a table. Sizes can be cut down for a
 * quick look: `npm run bench -- --quick`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../src/index.js';
import { chain, forest, ok } from './graphs.js';
import { gc, median, timeEach } from './measure.js';
import type { MemoryFigures } from './memory.js';
import { plot } from './plot.js';
import type { PairsFigures } from './pairs.js';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [100, 1_000, 10_000] : [100, 1_000, 10_000, 100_000];
const MODELS: Model[] = ['qemu-7.2', 'dynamic'];
const REPS = 200;
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  /** Other work on the machine skews wall-clock figures: the 1-minute load at start and end. */
  loadAverage: { start: loadavg()[0] },
};
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const benchStart = performance.now();

// ---------------------------------------------------------------- 1. flat cost
type Series = Record<string, Record<number, number>>;
const flat: Series = {};
const note = (series: string, size: number, us: number): void => {
  (flat[series] ??= {})[size] = us;
  log(`  ${series.padEnd(44)} ${String(size).padStart(7)} nodes: ${us.toFixed(1)} µs median`);
};

log('1. cost per command against graph size (median µs)');
/** The commands of section 1 on one graph size, each timed. */
function measureFlat(model: Model, size: number, record: (series: string, us: number) => void): void {
  const pg = chain(model, size);
  const top = `n${(Math.max(1, size >> 1)) - 1}`;
  const exportTimes = timeEach(REPS, (i) => {
    ok(pg, 'block-export-add', { type: 'nbd', id: `w${i}`, 'node-name': top, writable: true, name: `w${i}` });
    ok(pg, 'block-export-del', { id: `w${i}` });
  });
  record(`${model}: writable export on/off at a chain's top`, median(exportTimes) / 2);
  let k = 0;
  const overlay = timeEach(REPS, () => {
    const name = `o${k++}`;
    ok(pg, 'blockdev-add', { driver: 'null-co', 'node-name': name });
    ok(pg, 'blockdev-del', { 'node-name': name });
  });
  record(`${model}: node added and deleted beside a chain`, median(overlay) / 2);
  pg.dispose();
  const { pg: woods, all } = forest(model, size);
  let r = 7;
  const random = timeEach(REPS, (i) => {
    r = (r * 1103515245 + 12345) % 2147483648;
    const node = all[(r >>> 8) % all.length]!;
    ok(woods, 'block-export-add', { type: 'nbd', id: `r${i}`, 'node-name': node, name: `r${i}` });
    ok(woods, 'block-export-del', { id: `r${i}` });
  });
  record(`${model}: export on/off on a random node of a forest`, median(random) / 2);
  woods.dispose();
  gc();
}
// a first, untimed round so that the smallest size is not measured before the code is compiled
for (const model of MODELS) measureFlat(model, SIZES[0]!, () => undefined);
for (const model of MODELS) for (const size of SIZES) measureFlat(model, size, (series, us) => note(series, size, us));
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
  let refused = 0;
  let jobs = 0;
  const run = (execute: string, args: Record<string, unknown>): boolean => {
    const refusal = 'error' in pg.execute({ execute, arguments: args });
    if (refusal) refused++;
    return !refusal;
  };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const kind = next() % 7;
    if (kind === 0) {
      const id = `t${i}`;
      if (run('block-export-add', { type: 'nbd', id, 'node-name': tops[next() % tops.length]!, writable: true, name: id })) exported.push(id);
    } else if (kind === 1 && exported.length) {
      run('block-export-del', { id: exported.pop()! });
    } else if (kind === 2) {
      run('blockdev-add', { driver: 'null-co', 'node-name': `x${extra++}` });
    } else if (kind === 3 && extra > 0) {
      run('blockdev-del', { 'node-name': `x${--extra}` });
    } else if (kind === 4) {
      run('blockdev-del', { 'node-name': all[next() % all.length]! });
    } else if (kind === 5 && extra > 0) {
      run('blockdev-reopen', { options: [{ driver: 'null-co', 'node-name': `x${next() % extra}`, 'read-only': next() % 2 === 0 }] });
    } else {
      // a stream job into a chain's top; the clock then moves on and it finishes
      run('block-stream', { 'job-id': `s${i}`, device: tops[next() % tops.length]! });
      pg.advance(1);
      jobs++;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = process.cpuUsage(cpuStart).user / 1e6;
  results['throughput'] = { commands: count, seconds, perSecond: count / seconds, perCpuSecond: count / cpuSeconds, refused, jobs };
  log(`  ${count} commands (${jobs} stream jobs, ${refused} refused) in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} commands/s (${(count / cpuSeconds).toFixed(0)} per CPU second)`);
  pg.dispose();
  gc();
}

// ---------------------------------------------------------------- 3. against the daemon
log('3. 1,000 blockdev-add/blockdev-del pairs of null-co nodes (sockets: best of 3 rounds after a warm-up; in process: best and median of 15 rounds after 20, in a fresh process)');
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
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < pairs; i++) {
      await send(`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "r${round}n${i}"}}`);
      await send(`{"execute": "blockdev-del", "arguments": {"node-name": "r${round}n${i}"}}`);
    }
    // round 0 warms up (the JIT, the daemon's allocator)
    if (round > 0) times.push((performance.now() - start) / 1000);
  }
  client.destroy();
  return Math.min(...times);
}

function hasDaemon(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v qemu-storage-daemon'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Each side gets one warm-up round, then the best of this many timed rounds counts. */
const ROUNDS = 3;

async function server(argv: string[], socket: string): Promise<() => void> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 25));
  return () => child.kill('SIGTERM');
}

{
  const pairs = 1000;
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-bench-'));
  const figures: Record<string, number> = {};
  const pairsOut = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/pairs.ts'], { encoding: 'utf8' });
  const inProcess = JSON.parse(pairsOut) as PairsFigures;
  figures['in-process'] = inProcess.bestSeconds;
  figures['in-process, median'] = inProcess.medianSeconds;
  figures['in-process, cold first round'] = inProcess.coldSeconds;
  const cli = join(process.cwd(), 'dist/src/cli/main.js');
  const pgSocket = join(dir, 'pg.sock');
  const stopPg = await server([process.execPath, cli, 'qmp', '--socket', pgSocket, '--model', 'qemu-7.2'], pgSocket);
  figures['permgraph qmp'] = await qmpPairs(pgSocket, pairs);
  stopPg();
  const daemon = hasDaemon();
  if (!daemon) log('  qemu-storage-daemon is not installed: no comparison');
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
log('4. memory: a large graph (100,000 nodes; 10,000 quick) with the node actors the runtime keeps, in a fresh process');
{
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/memory.ts', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
  const memory = JSON.parse(out) as MemoryFigures;
  results['memory'] = memory;
  const { nodes, actors, rssStartMiB, rssWithGraphMiB, heapWithGraphMiB, heapStartMiB, heapAfterRoundsMiB, eager } = memory;
  log(`  RSS ${rssStartMiB.toFixed(0)} MiB at start, ${rssWithGraphMiB.toFixed(0)} MiB with ${nodes} nodes and ${actors} (lazy) actors; heap ${heapWithGraphMiB.toFixed(0)} MiB`);
  log(`  heap after GC: ${heapStartMiB.toFixed(1)} MiB at start; after each of 10 add-and-remove rounds: ${heapAfterRoundsMiB.map((h) => h.toFixed(1)).join(', ')} MiB`);
  log(`  eager actors: RSS ${eager.rssBeforeMiB.toFixed(0)} MiB before, ${eager.rssWithGraphMiB.toFixed(0)} MiB with ${eager.nodes} nodes and ${eager.actors} actors`);
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

// ---------------------------------------------------------------- 6. the explorer
log('6. permgraph check: distinct states per second on the default universe, in a fresh process');
{
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/explorer.ts', '--json'], { encoding: 'utf8' });
  const lines = out.trimEnd().split('\n');
  for (const line of lines.slice(0, -1)) log(`  ${line}`);
  results['explorer'] = (JSON.parse(lines.at(-1)!) as { explorer: unknown }).explorer;
}

log('6b. permgraph check at scale: 4layer in both models on one thread and two, with sleep sets; five-disks (over 5 million states before reductions) on two');
{
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/explorer-scale.ts', '--json', ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = out.trimEnd().split('\n');
  for (const line of lines.slice(0, -1)) log(line);
  results['explorerScale'] = (JSON.parse(lines.at(-1)!) as { scale: unknown }).scale;
}

// ---------------------------------------------------------------- 7. hostile input
log('7. hostile input on the wire: seconds until the answer to one big line (permgraph qmp, and the daemon where installed)');
/** Seconds from sending `payload` to the first line that answers it. */
async function answerTime(socket: string, payload: Buffer): Promise<number> {
  const client = connect(socket);
  let seen = 0;
  let onLine: () => void = () => undefined;
  client.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) (seen++, onLine());
  });
  const lines = (n: number): Promise<void> => new Promise((resolve) => (onLine = () => seen >= n && resolve()));
  await lines(1);
  client.write('{"execute": "qmp_capabilities"}\n');
  await lines(2);
  const start = performance.now();
  client.write(payload);
  await lines(3);
  const seconds = (performance.now() - start) / 1000;
  client.destroy();
  return seconds;
}
{
  const payloads: Record<string, Buffer> = {
    '300 KB line [0,"a","a",…]': Buffer.from(`[0${',"a"'.repeat(75_000)}]\n`),
    '2 MB string argument': Buffer.from(`{"execute": "query-version", "arguments": {"pad": "${'x'.repeat(2 * 1024 * 1024)}"}}\n`),
    '1,025 nested arrays': Buffer.from(`${'['.repeat(1025)}\n`),
  };
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-bench-'));
  const figures: Record<string, Record<string, number>> = {};
  const sides: [string, (socket: string) => string[]][] = [
    ['permgraph qmp', (socket) => [process.execPath, join(process.cwd(), 'dist/src/cli/main.js'), 'qmp', '--socket', socket, '--model', 'qemu-7.2']],
  ];
  if (hasDaemon()) {
    sides.push(['qemu-storage-daemon', (socket) => ['qemu-storage-daemon', '--chardev', `socket,id=m,path=${socket},server=on,wait=off`, '--monitor', 'chardev=m']]);
  }
  for (const [side, argv] of sides) {
    for (const [what, payload] of Object.entries(payloads)) {
      const socket = join(dir, `${side.length}-${what.length}.sock`);
      const stop = await server(argv(socket), socket);
      const seconds = await answerTime(socket, payload);
      stop();
      (figures[side] ??= {})[what] = seconds;
      log(`  ${side.padEnd(20)} ${what.padEnd(28)} ${seconds.toFixed(3)} s`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  results['hostile'] = figures;
}

results['benchSeconds'] = (performance.now() - benchStart) / 1000;
(results['loadAverage'] as Record<string, number>)['end'] = loadavg()[0]!;
log(`bench took ${(results['benchSeconds'] as number).toFixed(0)} s`);
writeFileSync('docs/performance.json', `${JSON.stringify(results, null, 1)}\n`);
writeFileSync('docs/performance.svg', plot(flat, SIZES));
log('wrote docs/performance.json and docs/performance.svg');
