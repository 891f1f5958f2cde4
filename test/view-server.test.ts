import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/program.js';
import { startViewServer, type ViewServer } from '../src/view/view-server.js';

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
      const data = JSON.parse((await get(port, '/data.json')).body) as { runs: { model: string }[] };
      expect(data.runs.map((r) => r.model)).toEqual(['dynamic', 'qemu-7.2']);
      expect((await get(port, '/../package.json')).status).toBe(404);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
