/**
 * The viewer's server: node:http on 127.0.0.1 only. It serves the built viewer's files, listed
 * once at start-up and matched by exact path, and the scenario's data at /data.json; anything
 * else (including `/../../etc/passwd` and its encoded forms) is a 404.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface ViewServerOptions {
  /** The built viewer (index.html and its assets). */
  readonly webRoot: string;
  /** The data the page fetches from /data.json. */
  readonly data: unknown;
  /** 0: any free port. */
  readonly port?: number;
}

export interface ViewServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/** URL path -> file, for every file under the root. */
function listFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(`/${relative(root, path).split(sep).join('/')}`, path);
  }
  return files;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  'Cache-Control': 'no-store',
};

export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  if (!existsSync(join(options.webRoot, 'index.html'))) {
    throw new Error(`the viewer is not built (no ${join(options.webRoot, 'index.html')}): run npm run build`);
  }
  const files = listFiles(options.webRoot);
  const data = Buffer.from(JSON.stringify(options.data));
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: Buffer | string): void => {
      res.writeHead(status, { 'Content-Type': type, ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (path === '/data.json') return send(200, TYPES['.json']!, data);
    const file = files.get(path === '/' ? '/index.html' : path);
    if (!file) return send(404, 'text/plain; charset=utf-8', 'not found\n');
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  };
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
