/**
 * The viewer's server: node:http on 127.0.0.1 only. It serves the built viewer's files, listed
 * once at start-up and matched by exact path, and the scenario's data at /data.json; anything
 * else (including `/../../etc/passwd` and its encoded forms) is a 404. Only requests whose Host is
 * `127.0.0.1:PORT` or `localhost:PORT` are answered (others get 403), so that a page on another
 * site that rebinds its name to 127.0.0.1 cannot read the data. Requests are small and quick: a
 * longer head than 16 KiB gets 431, a slower one than 10 s is cut off.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  /** How long a client may take to send a whole request (default 10 s); a slower one is cut off. */
  readonly requestTimeoutMs?: number;
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

const MAX_HEADER_BYTES = 16 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;
/** Connections beyond this are closed at once; slow ones are cut off after the request timeout. */
const MAX_CONNECTIONS = 256;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  'Cache-Control': 'no-store',
};

/** The viewer's files are missing. */
export class ViewerNotBuiltError extends Error {
  override readonly name = 'ViewerNotBuiltError';
}

/** Answers a request: the data, one of the viewer's files, or why not. */
function requestHandler(files: ReadonlyMap<string, string>, data: Buffer, hosts: ReadonlySet<string>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: Buffer | string): void => {
      res.writeHead(status, { 'Content-Type': type, ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    // a page elsewhere that rebinds its own name to 127.0.0.1 sends its own name as Host
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return send(403, 'text/plain; charset=utf-8', 'forbidden: unknown Host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (path === '/data.json') return send(200, TYPES['.json']!, data);
    const file = files.get(path === '/' ? '/index.html' : path);
    let body: Buffer | null = null;
    try {
      if (file) body = readFileSync(file);
    } catch {
      // gone or unreadable since start-up
    }
    if (!file || !body) return send(404, 'text/plain; charset=utf-8', 'not found\n');
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', body);
  };
}

/** An HTTP server for small, quick requests: a slow or silent client is cut off after `timeout` ms. */
function smallRequestServer(timeout: number, handle: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer(
    {
      // a request is a request line and a few headers: 16 KiB is plenty (a longer one gets 431)
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: timeout,
      requestTimeout: timeout,
      keepAliveTimeout: Math.min(5000, timeout),
      // how often slow connections are looked for (node's default is every 30 s)
      connectionsCheckingInterval: Math.min(1000, timeout),
    },
    handle,
  );
  server.maxConnections = MAX_CONNECTIONS;
  // a connection that sends nothing at all is cut off too (the timeouts above start with a request)
  server.setTimeout(timeout);
  return server;
}

export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  if (!existsSync(join(options.webRoot, 'index.html'))) {
    throw new ViewerNotBuiltError(`the viewer is not built (no ${join(options.webRoot, 'index.html')}): run npm run build`);
  }
  const files = listFiles(options.webRoot);
  const data = Buffer.from(JSON.stringify(options.data));
  /** `127.0.0.1:PORT` and `localhost:PORT`, once the port is bound. */
  const hosts = new Set<string>();
  const server = smallRequestServer(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, requestHandler(files, data, hosts));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      hosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
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
