/**
 * `permgraph qmp` under load, in a process of its own so that its memory can be read: many
 * clients at once with every reply's id checked, clients that vanish mid-line, a slow client, and
 * one that floods commands without reading a reply. The server stays answering throughout, its
 * RSS stays bounded and comes back down once the flood's client is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
let dir = '';
let socketPath = '';
let server: ChildProcess;

const rss = (): number => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that reads replies line by line. */
class Client {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\r\n');
      this.buffer = parts.pop()!;
      this.lines.push(...parts);
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }
  static async open(): Promise<Client> {
    const socket = connect(socketPath);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new Client(socket);
    await client.next();
    return client;
  }
  async next(): Promise<Record<string, unknown>> {
    while (this.lines.length === 0) await new Promise<void>((resolve) => (this.waiter = resolve));
    return JSON.parse(this.lines.shift()!) as Record<string, unknown>;
  }
  /** The next reply (events skipped). */
  async reply(): Promise<Record<string, unknown>> {
    for (;;) {
      const message = await this.next();
      if (!('event' in message)) return message;
    }
  }
  async execute(execute: string, args?: Record<string, unknown>, id?: string): Promise<Record<string, unknown>> {
    this.socket.write(`${JSON.stringify({ execute, ...(args ? { arguments: args } : {}), ...(id ? { id } : {}) })}\n`);
    return this.reply();
  }
  close(): void {
    this.socket.destroy();
  }
}

async function negotiated(): Promise<Client> {
  const client = await Client.open();
  expect(await client.execute('qmp_capabilities')).toEqual({ return: {} });
  return client;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'permgraph-soak-'));
  socketPath = join(dir, 'qmp.sock');
  server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'qmp', '--socket', socketPath, '--model', 'qemu-7.2'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300 && !existsSync(socketPath); i++) await sleep(50);
  if (!existsSync(socketPath)) throw new Error('permgraph qmp did not start');
});

afterAll(() => {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('permgraph qmp under load', () => {
  it('answers 50 clients × 200 commands, each reply carrying its own id, in order', async () => {
    const work = Array.from({ length: 50 }, async (_, c) => {
      const client = await negotiated();
      for (let j = 0; j < 200; j++) {
        const id = `c${c}-${j}`;
        const node = `n${c}`;
        const step = j % 4;
        const reply =
          step === 0 ? await client.execute('blockdev-add', { driver: 'null-co', 'node-name': node }, id)
          : step === 1 ? await client.execute('query-named-block-nodes', { flat: true }, id)
          : step === 2 ? await client.execute('blockdev-del', { 'node-name': node }, id)
          : await client.execute('blockdev-del', { 'node-name': node }, id);
        expect(reply['id']).toBe(id);
        if (step === 3) expect(reply['error']).toEqual({ class: 'GenericError', desc: `Failed to find node with node-name='${node}'` });
        else expect(reply).toHaveProperty('return');
      }
      client.close();
    });
    await Promise.all(work);
  });

  it('shrugs off 200 clients that vanish mid-line, and serves a slow one byte by byte', async () => {
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const socket = connect(socketPath);
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        socket.write(i % 2 ? '{"execute": "qmp_capabilities"}\n{"execute": "query-ver' : '{"execute": "qmp_capa');
        socket.destroy();
      }),
    );
    const slow = await negotiated();
    const command = '{"execute": "query-version", "id": "slow"}\n';
    for (const ch of command) {
      slow.socket.write(ch);
      await sleep(2);
    }
    expect(await slow.reply()).toMatchObject({ id: 'slow', return: { qemu: { major: 7 } } });
    slow.close();
  });

  it('stops reading a client that floods without reading, keeps answering others, and lets the memory go', async () => {
    const before = rss();
    const flood = await negotiated();
    // ten nodes make each reply of the flood about 10 KB: unread, 100,000 of them would be a GB
    for (let i = 0; i < 10; i++) await flood.execute('blockdev-add', { driver: 'null-co', 'node-name': `flood${i}` });
    flood.socket.pause(); // reads nothing from here on
    const command = Buffer.from('{"execute": "query-named-block-nodes", "arguments": {"flat": true}}\n');
    const burst = Buffer.concat(Array.from({ length: 1000 }, () => command));
    for (let i = 0; i < 100; i++) flood.socket.write(burst); // 100,000 commands
    let peak = 0;
    const other = await negotiated();
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      peak = Math.max(peak, rss());
      expect(await other.execute('query-version', undefined, `o${i}`)).toMatchObject({ id: `o${i}` });
    }
    expect(peak).toBeLessThan(400 * MiB);
    flood.close();
    other.close();
    let after = rss();
    for (let i = 0; i < 100 && after > before + 64 * MiB; i++) {
      await sleep(100);
      after = rss();
    }
    expect(after).toBeLessThan(before + 64 * MiB);
    if (process.env['PERMGRAPH_SOAK_REPORT']) console.log(`RSS before ${before / MiB | 0} MiB, peak ${peak / MiB | 0} MiB, after ${after / MiB | 0} MiB`);
    const last = await negotiated();
    expect(await last.execute('query-version', undefined, 'alive')).toMatchObject({ id: 'alive' });
    last.close();
  });
});
