import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../machines/node.types.js';
import { runCli } from '../src/cli/program.js';
import { differenceAt, differenceLine } from '../src/view/model-difference.js';
import { viewData } from '../src/view/view-data.js';
import { startViewServer, type ViewServer } from '../src/view/view-server.js';
import type { ViewData } from '../src/view/view-types.js';

/** A raw GET: the path goes on the wire exactly as given (fetch would normalise `..`). */
function get(port: number, path: string, host = '127.0.0.1'): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw request with the Host header given (or none at all), and any other headers. */
function raw(port: number, path: string, host: string | null, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', setHost: false, headers: { ...(host === null ? {} : { Host: host }), ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the view server', () => {
  const root = mkdtempSync(join(tmpdir(), 'permgraph-web-'));
  let server: ViewServer;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(root, '..', 'permgraph-secret.txt'), 'secret');
    server = await startViewServer({ webRoot: root, data: { name: 'scenario' }, port: 0 });
  });

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(join(root, '..', 'permgraph-secret.txt'), { force: true });
  });

  it('listens on 127.0.0.1 only, on the port it was given (0: any)', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) await expect(get(server.port, '/', external.address)).rejects.toThrow(/ECONNREFUSED/);
    await expect(get(server.port, '/', '::1')).rejects.toThrow(/ECONNREFUSED|EADDRNOTAVAIL/);
  });

  it("serves the viewer's files and the scenario's data", async () => {
    expect(await get(server.port, '/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect((await get(server.port, '/index.html?x=1')).body).toContain('<title>viewer</title>');
    expect(await get(server.port, '/assets/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await get(server.port, '/data.json')).toEqual({ status: 200, body: '{"name":"scenario"}', type: 'application/json; charset=utf-8' });
  });

  it.each([
    '/../../etc/passwd',
    '/../permgraph-secret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/..%2f..%2fetc%2fpasswd',
    '/..%5c..%5cetc%5cpasswd',
    '/%252e%252e/etc/passwd',
    '/assets/../../permgraph-secret.txt',
    '/assets/%2e%2e/index.html',
    '//etc/passwd',
    '/etc/passwd',
    '/assets',
    '/assets/',
    '/index.html%00.js',
    '/./index.html',
  ])('answers %s with 404', async (path) => {
    const reply = await get(server.port, path);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('not found\n');
  });

  describe.each(['/', '/index.html', '/data.json', '/assets/app.js', '/nope'])('%s', (path) => {
    it('is answered for Host 127.0.0.1:PORT and localhost:PORT', async () => {
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
        expect((await raw(server.port, path, host)).status).toBe(path === '/nope' ? 404 : 200);
      }
    });

    it.each([
      ['another name (DNS rebinding)', (port: number) => `attacker.example:${port}`],
      ['another name without a port', () => 'attacker.example'],
      ['another port', (port: number) => `127.0.0.1:${port === 65535 ? 1 : port + 1}`],
      ['no port', () => '127.0.0.1'],
      ['localhost without a port', () => 'localhost'],
      ['IPv6 loopback, not listened on', (port: number) => `[::1]:${port}`],
      ['a name that merely starts alike', (port: number) => `localhost:${port}.attacker.example`],
      ['an empty Host', () => ''],
    ])('gets 403 for %s', async (_name, host) => {
      expect(await raw(server.port, path, host(server.port))).toEqual({ status: 403, body: 'forbidden: unknown Host\n' });
    });

    it('gets 400 without a Host in HTTP/1.1, and 403 without one in HTTP/1.0', async () => {
      expect((await raw(server.port, path, null)).status).toBe(400);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text)).on('error', reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      expect(reply.endsWith('\r\n\r\nforbidden: unknown Host\n')).toBe(true);
    });
  });

  it('refuses a request line or headers longer than 16 KiB with 431, and goes on serving', async () => {
    expect((await raw(server.port, `/${'a'.repeat(100_000)}`, `127.0.0.1:${server.port}`)).status).toBe(431);
    expect((await raw(server.port, '/', `127.0.0.1:${server.port}`, { 'X-Big': 'b'.repeat(100_000) })).status).toBe(431);
    expect((await raw(server.port, '/data.json', `127.0.0.1:${server.port}`)).status).toBe(200);
  });

  it('cuts off clients that send their request too slowly, and serves others meanwhile', async () => {
    const quick = await startViewServer({ webRoot: root, data: {}, port: 0, requestTimeoutMs: 300 });
    try {
      // half a request each, and as many that send nothing at all
      const sockets = Array.from({ length: 100 }, () => connect(quick.port, '127.0.0.1'));
      const closed = sockets.map((socket) => new Promise<void>((done) => socket.on('close', () => done())));
      await Promise.all(
        sockets.map((socket, i) => new Promise<void>((done) => socket.once('connect', () => (i % 2 ? socket.write('GET / HTTP/1.1\r\nHost: 12', () => done()) : done())))),
      );
      expect((await raw(quick.port, '/data.json', `127.0.0.1:${quick.port}`)).status).toBe(200);
      await Promise.all(closed);
    } finally {
      await quick.close();
    }
  });

  it("answers 404 for a viewer's file removed since start-up, and goes on serving", async () => {
    writeFileSync(join(root, 'assets', 'gone.js'), 'export {};');
    const served = await startViewServer({ webRoot: root, data: {}, port: 0 });
    try {
      rmSync(join(root, 'assets', 'gone.js'));
      expect((await get(served.port, '/assets/gone.js')).status).toBe(404);
      expect((await get(served.port, '/')).status).toBe(200);
    } finally {
      await served.close();
    }
  });

  it('says so when the port is taken, exit 2', async () => {
    let err = '';
    const code = await runCli(['view', 'examples/commit-auto-read-only.yaml', '--port', String(server.port)], {
      stdout: () => {},
      stderr: (t) => (err += t),
    });
    expect([code, err]).toEqual([2, `permgraph: view: port ${server.port} is in use\n`]);
  });

  it('refuses to start without a built viewer', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'permgraph-web-'));
    await expect(startViewServer({ webRoot: empty, data: {} })).rejects.toThrow(/the viewer is not built/);
    rmSync(empty, { recursive: true });
  });
});

describe('permgraph view', () => {
  it('prints the URL of the viewer it serves on 127.0.0.1, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'view', 'examples/commit-auto-read-only.yaml', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const port = Number(new URL(url).port);
      expect((await get(port, '/')).body).toContain('<div id="graph"');
      const data = JSON.parse((await get(port, '/data.json')).body) as ViewData;
      expect(data.runs.map((r) => r.model)).toEqual(['dynamic', 'qemu-7.2', 'qemu-10.0']);
      expect(data.comparisons.map((c) => `${c.left} | ${c.right}`)).toEqual(['dynamic | qemu-7.2', 'dynamic | qemu-10.0', 'qemu-7.2 | qemu-10.0']);
      expect((await get(port, '/../package.json')).status).toBe(404);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

describe('the viewer data', () => {
  const COMMIT = 'examples/commit-auto-read-only.yaml';
  const data = viewData(COMMIT);

  it('runs the scenario in every model, its own first, and compares every two, step by step', () => {
    expect(data.runs.map((r) => r.model)).toEqual([...MODELS]);
    expect(data.comparisons).toHaveLength((MODELS.length * (MODELS.length - 1)) / 2);
    for (const c of data.comparisons) expect(c.steps).toHaveLength(data.runs[0]!.steps.length);
  });

  it("puts the scenario's own model first", () => {
    const dir = mkdtempSync(join(tmpdir(), 'permgraph-view-data-'));
    try {
      const file = join(dir, 'own-model.json');
      const steps = [{ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n0' } }];
      writeFileSync(file, JSON.stringify({ name: 'own-model', model: 'qemu-10.0', steps }));
      const own = viewData(file);
      expect(own.runs.map((r) => r.model)).toEqual(['qemu-10.0', 'dynamic', 'qemu-7.2']);
      expect(own.comparisons.map((c) => `${c.left} | ${c.right}`)).toEqual(['qemu-10.0 | dynamic', 'qemu-10.0 | qemu-7.2', 'dynamic | qemu-7.2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows base read-write in QEMU 7.2 and read-only in QEMU 10.0 after the abandoned active commit (step 12)', () => {
    const step = 12;
    expect(data.runs[0]!.steps[step]!.title).toMatch(/^job-cancel/);
    const difference = differenceAt(data.comparisons, 'qemu-7.2', 'qemu-10.0', step)!;
    expect(difference.lines.map(differenceLine)).toEqual([
      'base-file: state fdActive | fdIdle',
      'base-file: open mode O_RDWR | O_RDONLY',
      'base: ro false | true',
      'base: state readWrite | readOnly',
      'base -file-> base-file: perm wr_s | _r__',
    ]);
    expect(difference.vertices).toEqual(['node:base-file', 'node:base']);
    const edgeId = (model: string): number | undefined =>
      data.runs.find((r) => r.model === model)!.steps[step]!.edges.find((e) => e.parent === 'node:base' && e.name === 'file')?.id;
    expect([difference.leftEdges, difference.rightEdges]).toEqual([[edgeId('qemu-7.2')], [edgeId('qemu-10.0')]]);
    expect(differenceAt(data.comparisons, 'qemu-10.0', 'qemu-7.2', step)!.lines.map(differenceLine)).toContain('base: ro true | false');
  });

  it('finds the two QEMU versions alike before the second commit, and unlike dynamic from the first file node on', () => {
    for (let step = 0; step < 12; step++) expect(differenceAt(data.comparisons, 'qemu-7.2', 'qemu-10.0', step)?.lines).toEqual([]);
    expect(differenceAt(data.comparisons, 'dynamic', 'qemu-7.2', 0)?.lines.map(differenceLine)).toContain('base-file: ro true | false');
  });
});
