/** permgraph's QMP server on the wire: greeting, negotiation, errors, clients, stdio. */
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Permgraph } from '../src/index.js';
import { startQmpServer, type QmpServer } from '../src/server/qmp-server.js';
import { MALFORMED_QMP } from './fixtures/malformed-qmp.js';

const GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}\r\n';

/** A line-reading QMP client over a socket. */
class Client {
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let at: number;
      while ((at = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, at + 2);
        this.buffer = this.buffer.slice(at + 2);
        const waiter = this.waiting.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
  }
  static async open(path: string): Promise<Client> {
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Client(socket);
  }
  next(): Promise<string> {
    const line = this.lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => this.waiting.push(resolve));
  }
  async json(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.next()) as Record<string, unknown>;
  }
  async send(text: string): Promise<Record<string, unknown>> {
    this.socket.write(text);
    for (;;) {
      const message = await this.json();
      if (!('event' in message)) return message;
    }
  }
}

let server: QmpServer | undefined;
let served: Permgraph | undefined;
let dir = '';
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function serve(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'permgraph-qmp-'));
  const socketPath = join(dir, 'qmp.sock');
  const permgraph = createPermgraph({
    model: 'qemu-7.2',
    // b.qcow2 holds data in two places: a backup of it at speed 1 copies more than its first task (src/jobs/lifecycle.ts)
    storage: createVirtualStorage({ '/i/a.img': { format: 'raw' }, '/i/b.qcow2': { format: 'qcow2', size: 1 << 20, clusters: [0, 8] } }),
  });
  served = permgraph;
  server = await startQmpServer({ permgraph, socketPath });
  return socketPath;
}

async function negotiated(path: string): Promise<Client> {
  const client = await Client.open(path);
  expect(await client.next()).toBe(GREETING);
  expect(await client.send('{"execute": "qmp_capabilities"}\n')).toEqual({ return: {} });
  return client;
}

describe('QMP server', () => {
  it('greets as qemu-storage-daemon 7.2 and insists on negotiation first', async () => {
    const client = await Client.open(await serve());
    expect(await client.next()).toBe(GREETING);
    client.socket.write('{"execute": "query-version"}\n');
    expect(await client.next()).toBe(
      `{"error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}\r\n`,
    );
    client.socket.write('{"execute": "qmp_capabilities", "id": "n1"}\n');
    expect(await client.next()).toBe('{"return": {}, "id": "n1"}\r\n');
    expect(await client.send('{"execute": "query-version"}\n')).toEqual({
      return: { qemu: { micro: 22, minor: 2, major: 7 }, package: 'Debian 1:7.2+dfsg-7+deb12u18+b3' },
    });
  });

  it("takes QEMU's single-quoted strings", async () => {
    const client = await negotiated(await serve());
    expect(await client.send("{'execute': 'query-jobs', 'id': 'it\\'s'}\n")).toEqual({ return: [], id: "it's" });
  });

  it('takes a command split across packets and several in one', async () => {
    const client = await negotiated(await serve());
    client.socket.write('{"execute":');
    client.socket.write(' "query-version",\n "id": 1}{"execute": "query-jobs", "id": 2}\n');
    expect(await client.json()).toMatchObject({ id: 1 });
    expect(await client.json()).toEqual({ return: [], id: 2 });
  });

  describe('malformed input gets QEMU\'s error and the connection stays usable', () => {
    it('has a corpus', () => expect(MALFORMED_QMP.length).toBeGreaterThanOrEqual(12));
    it.each(MALFORMED_QMP.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
      const client = await negotiated(await serve());
      expect(await client.send('{"execute": "blockdev-add", "arguments": {"driver": "file", "node-name": "f", "filename": "/i/a.img"}}\n')).toEqual({ return: {} });
      const before = served!.graph;
      expect(await client.send(m.input)).toEqual({ error: m.reply });
      expect(served!.graph).toBe(before);
      expect(await client.send('{"execute": "query-jobs"}\n')).toEqual({ return: [] });
    });
  });

  it('serves several clients at once and sends events to all of them', async () => {
    const path = await serve();
    const a = await negotiated(path);
    const b = await negotiated(path);
    expect(await a.send('{"execute": "blockdev-add", "arguments": {"driver": "file", "node-name": "f", "filename": "/i/a.img"}}\n')).toEqual({ return: {} });
    expect(await b.send('{"execute": "nbd-server-start", "arguments": {"addr": {"type": "unix", "data": {"path": "/tmp/x"}}}}\n')).toEqual({ return: {} });
    expect(await a.send('{"execute": "block-export-add", "arguments": {"type": "nbd", "id": "e", "node-name": "f"}}\n')).toEqual({ return: {} });
    a.socket.write('{"execute": "block-export-del", "arguments": {"id": "e"}}\n');
    const event = await a.json();
    expect(event).toMatchObject({ event: 'BLOCK_EXPORT_DELETED', data: { id: 'e' } });
    expect(event['timestamp']).toMatchObject({ seconds: expect.any(Number), microseconds: expect.any(Number) });
    expect(await a.json()).toEqual({ return: {} });
    expect(await b.json()).toMatchObject({ event: 'BLOCK_EXPORT_DELETED' });
  });

  it('a client that vanishes mid-command harms nothing', async () => {
    const path = await serve();
    const gone = await negotiated(path);
    gone.socket.write('{"execute": "blockdev-add", "argu');
    gone.socket.destroy();
    const other = await negotiated(path);
    expect(await other.send('{"execute": "query-named-block-nodes"}\n')).toEqual({ return: [] });
  });

  it('runs jobs on the wall clock: speed 1 stays running, speed 0 finishes promptly', async () => {
    const client = await negotiated(await serve());
    await client.send('{"execute": "blockdev-add", "arguments": {"driver": "qcow2", "node-name": "q", "file": {"driver": "file", "filename": "/i/b.qcow2"}}}\n');
    await client.send('{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "t", "size": 1048576}}\n');
    expect(await client.send('{"execute": "blockdev-backup", "arguments": {"job-id": "b", "device": "q", "target": "t", "sync": "full", "speed": 1}}\n')).toEqual({ return: {} });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await client.send('{"execute": "query-jobs"}\n')).toMatchObject({ return: [{ id: 'b', status: 'running' }] });
    client.socket.write('{"execute": "block-job-set-speed", "arguments": {"device": "b", "speed": 0}}\n');
    const statuses: string[] = [];
    for (;;) {
      const message = await client.json();
      if (message['event'] === 'JOB_STATUS_CHANGE') statuses.push(String((message['data'] as { status: string }).status));
      if (message['event'] === 'BLOCK_JOB_COMPLETED') statuses.push('COMPLETED');
      if (statuses.at(-1) === 'null') break;
    }
    expect(statuses).toEqual(['waiting', 'pending', 'COMPLETED', 'concluded', 'null']);
  });

  it("sends a command's events either side of its reply, as QEMU does", async () => {
    const client = await negotiated(await serve());
    await client.send('{"execute": "blockdev-add", "arguments": {"driver": "qcow2", "node-name": "q", "file": {"driver": "file", "filename": "/i/b.qcow2"}}}\n');
    await client.send('{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "t", "size": 1048576}}\n');
    /** What the server sends until the reply to `command` and just after, as event names or 'reply'. */
    const around = async (command: string, after: number): Promise<string[]> => {
      client.socket.write(command);
      const seen: string[] = [];
      for (let replies = 0; replies === 0 || seen.length - seen.indexOf('reply') <= after; ) {
        const message = await client.json();
        if ('event' in message) seen.push(`${String(message['event'])}${message['event'] === 'JOB_STATUS_CHANGE' ? ` ${String((message['data'] as { status: string }).status)}` : ''}`);
        else (seen.push('reply'), replies++);
      }
      return seen;
    };
    // a mirror at full speed is created and running before the reply, ready after it
    expect(await around('{"execute": "blockdev-mirror", "arguments": {"job-id": "m", "device": "q", "target": "t", "sync": "full"}}\n', 2)).toEqual([
      'JOB_STATUS_CHANGE created', 'JOB_STATUS_CHANGE running', 'reply', 'JOB_STATUS_CHANGE ready', 'BLOCK_JOB_READY',
    ]);
    // completing it: the reply first, then the job's end
    expect(await around('{"execute": "block-job-complete", "arguments": {"device": "m"}}\n', 5)).toEqual([
      'reply', 'JOB_STATUS_CHANGE waiting', 'JOB_STATUS_CHANGE pending', 'BLOCK_JOB_COMPLETED', 'JOB_STATUS_CHANGE concluded', 'JOB_STATUS_CHANGE null',
    ]);
  });

  it('quit replies, then closes the server and its socket', async () => {
    const path = await serve();
    const client = await negotiated(path);
    expect(await client.send('{"execute": "quit"}\n')).toEqual({ return: {} });
    await server!.closed;
    expect(existsSync(path)).toBe(false);
  });

  it('speaks on stdio', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => (text += chunk));
    server = await startQmpServer({ permgraph: createPermgraph(), stdio: { input, output } });
    input.write('{"execute": "qmp_capabilities"}\n{"execute": "query-jobs"}\n');
    await expect.poll(() => text.split('\r\n').length).toBe(4);
    expect(text.split('\r\n').slice(1, 3)).toEqual(['{"return": {}}', '{"return": []}']);
  });
});
