/** The harness's parts on their own: lock bytes, normalization, differences, the QMP client's deadlines. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { differenceLine, differences } from '../../src/diff/compare.js';
import { identity, IdentityError } from '../../src/diff/identity.js';
import { normalizeTrace } from '../../src/diff/normalize.js';
import { decodeLocks } from '../../src/diff/proc-fds.js';
import { QmpClient, QmpConnectionError, QmpTimeout } from '../../src/diff/qmp-client.js';
import { SetupError, underTmp } from '../../src/diff/real-setup.js';
import type { Trace } from '../../src/diff/trace.js';

describe('lock bytes from fdinfo', () => {
  it('names perms held (100+i) and perms not shared (200+i)', () => {
    expect(
      decodeLocks([
        'lock:\t1: OFDLCK  ADVISORY  READ -1 fe:00:2156996 100 100',
        'lock:\t2: OFDLCK  ADVISORY  READ -1 fe:00:2156996 201 203',
        'lock:\t3: OFDLCK  ADVISORY  WRITE -1 fe:00:2156996 104 EOF',
        'lock:\t4: OFDLCK  ADVISORY  READ -1 fe:00:2156996 7 7',
      ]),
    ).toEqual(['byte:7', 'perm:consistent-read', 'perm:graph-mod(WRITE)', 'unshared:resize', 'unshared:write', 'unshared:write-unchanged']);
  });
});

const trace = (workdir: string, overrides: Partial<Trace> = {}): Trace => ({
  scenario: 's',
  description: '',
  workdir,
  as_user: 'nobody',
  qemu: null,
  daemon: null,
  setup: [],
  initial: null,
  steps: [
    {
      i: 0,
      execute: 'blockdev-add',
      arguments: { driver: 'file', 'node-name': 'f', filename: `${workdir}/a.img` },
      return: {},
      events: [{ event: 'X' }],
      obs: {
        nodes: [{ 'node-name': '#block123', drv: 'file', ro: false, file: `${workdir}/a.img` }],
        graph: { nodes: ['block-backend#7', 'block-driver:#block123'], edges: [] },
        jobs: [],
        exports: [],
        fds: [{ path: `${workdir}/a.img`, fd: 12, flags: '02100000', mode: 'O_RDONLY', locks: ['perm:consistent-read'] }],
      },
    },
    { i: 1, execute: 'query-block-exports', return: [{ big: 'reply' }] },
  ],
  ...overrides,
});

describe('normalization', () => {
  it('writes the scratch directory $W, leaves out fd numbers, generated names, backend ids, events and query bodies', () => {
    expect(normalizeTrace(trace('/tmp/permgraph-diff-abc')).steps).toEqual([
      {
        execute: 'blockdev-add',
        arguments: { driver: 'file', 'node-name': 'f', filename: '$W/a.img' },
        return: {},
        obs: {
          nodes: [{ 'node-name': '#implicit', drv: 'file', ro: false, file: '$W/a.img' }],
          graph: { nodes: ['block-backend', 'block-driver:#implicit'], edges: [] },
          jobs: [],
          exports: [],
          fds: ['$W/a.img O_RDONLY perm:consistent-read'],
        },
      },
      { execute: 'query-block-exports', return: 'ok' },
    ]);
  });

  it('makes runs in different scratch directories equal', () => {
    expect(differences(normalizeTrace(trace('/tmp/a')), normalizeTrace(trace('/tmp/bb')), ['x', 'y'])).toEqual([]);
  });
});

describe('differences', () => {
  it('names list items only one side has, and steps only one side took', () => {
    const a = normalizeTrace(trace('/tmp/a'));
    const b = normalizeTrace(trace('/tmp/a', { aborted: 'QMP timeout at step 1', steps: [trace('/tmp/a').steps[0]!] }));
    const lines = differences(a, b, ['daemon', 'permgraph']).map(differenceLine);
    expect(lines).toEqual(['[run] aborted: daemon null, permgraph "QMP timeout at step 1"', '[1] only in daemon: {"execute":"query-block-exports","return":"ok"}']);
  });
});

describe('the QMP client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-qmp-client-'));
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const serve = (name: string, onConnection: (socket: Socket) => void): Promise<string> =>
    new Promise((resolve) => {
      const path = join(dir, name);
      const server = createServer(onConnection);
      servers.push(server);
      server.listen(path, () => resolve(path));
    });

  it('gives up on a silent peer when its deadline passes', async () => {
    const path = await serve('silent.sock', () => undefined);
    const client = await QmpClient.connect(path, 150);
    const started = Date.now();
    await expect(client.greeting()).rejects.toThrow(new QmpTimeout('no QMP greeting within 0.15s'));
    expect(Date.now() - started).toBeLessThan(2000);
    client.close();
  });

  it('matches replies by id, keeps the events for a later wait, and says when the peer goes away', async () => {
    const path = await serve('talky.sock', (socket) => {
      socket.write('{"QMP": {"version": {}}}\n');
      socket.on('data', (data) => {
        const { id } = JSON.parse(String(data)) as { id: string };
        socket.write(`{"event": "E", "data": {"n": 1}}\n{"return": {}, "id": "other"}\n{"return": {"ok": 1}, "id": "${id}"}\n`);
        setTimeout(() => socket.destroy(), 20);
      });
    });
    const client = await QmpClient.connect(path, 1000);
    await client.greeting();
    const { reply, events } = await client.execute('anything');
    expect(reply).toEqual({ return: { ok: 1 } });
    expect(events).toEqual([{ event: 'E', data: { n: 1 } }]);
    expect((await client.waitEvent('E', { n: 1 }, 100)).matched).toEqual({ event: 'E', data: { n: 1 } });
    await expect(client.waitEvent('E', {}, 1000)).rejects.toThrow(new QmpConnectionError('QMP connection closed by the daemon'));
    client.close();
  });
});

describe('setup safety', () => {
  it('refuses paths outside /tmp and unknown users', () => {
    expect(() => underTmp('/etc/passwd')).toThrow(SetupError);
    expect(() => underTmp('/tmp/../etc/x')).toThrow('path outside /tmp refused: /tmp/../etc/x');
    expect(underTmp('/tmp/not/yet/there.img')).toBe('/tmp/not/yet/there.img');
    expect(() => identity('no-such-user-here')).toThrow(new IdentityError("no such user 'no-such-user-here'"));
    expect(identity('self').wrap(['qemu-img', 'info'])).toEqual(['qemu-img', 'info']);
  });
});
