/**
 * The hostile QMP corpus replayed against `permgraph qmp`: malformed and hostile inputs (JSON
 * syntax, stray bytes, escapes, invalid UTF-8, nesting, the QMP envelope, negotiation, ids and
 * integers at the edges, big inputs), each with the lines qemu-storage-daemon 7.2 sent back
 * (test/fixtures/hostile-qmp/, made by test/support/hostile-qmp/cases.ts and recorded with
 * `node --import tsx test/support/hostile-qmp/record.ts`).
 *
 * Every case runs on a connection of its own to a socket server, bytes as recorded; the cases of a
 * kind share a server (they leave no state behind), a case that changes state gets its own, as on
 * the daemon. Every line must match byte for byte (an event's wall-clock stamp aside): same count
 * and order, members in QEMU's order, its escapes and number formats, its line end; and the sync
 * reply must come. Cases whose daemon answer is no reference are skipped, with the reason.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage } from '../src/index.js';
import { startQmpServer } from '../src/server/qmp-server.js';
import { hostileCases, KINDS, type Kind } from './support/hostile-qmp/cases.js';
import { comparable, encodeLine, playCase, type FixtureFile, type Played, type RecordedCase } from './support/hostile-qmp/wire.js';

const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/hostile-qmp');
const FIXTURES: readonly FixtureFile[] = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as FixtureFile)
  .sort((a, b) => KINDS.indexOf(a.kind as Kind) - KINDS.indexOf(b.kind as Kind));
const CASES: readonly RecordedCase[] = FIXTURES.flatMap((f) => f.cases);
const PLAYED = CASES.filter((c) => !c.excluded);

/** permgraph answers in-process: a case that has not synced by then never will. */
const REPLAY_TIMEOUT_MS = 4000;
const BIG_REPLAY_TIMEOUT_MS = 20_000;

const expected = (c: RecordedCase): { lines: string[]; end: string } => ({ lines: [c.greeting, ...c.replies].map(comparable), end: 'sync' });
const actual = (p: Played): { lines: string[]; end: string } => ({
  lines: [...(p.greeting ? [p.greeting] : []), ...p.replies].map((b) => comparable(encodeLine(b))),
  end: p.end,
});

const results = new Map<string, Played>();
const scratch: string[] = [];

/** Connections open at once on one server (well below the server's limit on clients). */
const CONNECTIONS_PER_SERVER = 64;

/** Plays `cases`, each on its own connection to one fresh server, many at a time. */
async function playOnOneServer(cases: readonly RecordedCase[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-hostile-'));
  scratch.push(dir);
  const socketPath = join(dir, 'qmp.sock');
  const permgraph = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage({}) });
  const server = await startQmpServer({ permgraph, socketPath });
  const queue = [...cases];
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const timeoutMs = (c.timeoutMs ?? 0) > 5000 ? BIG_REPLAY_TIMEOUT_MS : REPLAY_TIMEOUT_MS;
      results.set(c.name, await playCase(socketPath, { ...c, timeoutMs }));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONNECTIONS_PER_SERVER, cases.length) }, worker));
  } finally {
    await server.close();
  }
}

beforeAll(async () => {
  const shared = new Map<string, RecordedCase[]>();
  const isolated: RecordedCase[] = [];
  for (const c of PLAYED) {
    if (c.isolated) isolated.push(c);
    else shared.set(c.kind, [...(shared.get(c.kind) ?? []), c]);
  }
  await Promise.all([...[...shared.values()].map(playOnOneServer), ...isolated.map((c) => playOnOneServer([c]))]);
  const matching = PLAYED.filter((c) => JSON.stringify(actual(results.get(c.name)!)) === JSON.stringify(expected(c))).length;
  const excluded = CASES.filter((c) => c.excluded);
  console.info(
    [
      `hostile QMP corpus: ${matching} of ${PLAYED.length} cases answered as qemu-storage-daemon 7.2 did; ${excluded.length} excluded:`,
      ...excluded.map((c) => `  ${c.name}: ${c.excluded}`),
    ].join('\n'),
  );
}, 120_000);

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('hostile QMP input', () => {
  it('the corpus is big enough and covers every kind', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    for (const f of FIXTURES) expect(f.daemon).toMatch(/^qemu-storage-daemon version 7\.2\./);
  });

  it('the fixtures hold exactly the cases the generator makes (re-record after changing it)', () => {
    const shape = (c: RecordedCase | ReturnType<typeof hostileCases>[number]): unknown => ({
      name: c.name,
      kind: c.kind,
      negotiate: c.negotiate,
      isolated: c.isolated,
      chunks: c.chunks,
      timeoutMs: c.timeoutMs,
    });
    expect(CASES.map(shape)).toEqual(hostileCases().map(shape));
  });

  for (const f of FIXTURES) {
    describe(f.kind, () => {
      for (const c of f.cases) {
        if (c.excluded) {
          // the daemon's answer is no reference here (its reason is in the fixture and docs/qmp.md)
          it.skip(`${c.name} (excluded: ${c.excluded})`, () => undefined);
          continue;
        }
        it(c.name, () => {
          const played = results.get(c.name);
          expect(played, 'played').toBeDefined();
          expect(actual(played!)).toEqual(expected(c));
        });
      }
    });
  }
});
