/**
 * The hostile QMP corpus on the wire: the fixture format, the bytes of a case, one case played
 * over a unix socket (greeting, optional negotiation, the case's chunks, until the sync reply),
 * and the comparison of replies (parsed exactly: numbers keep their text, key order and
 * whitespace do not count, event timestamps and the greeting's package are normalised).
 *
 * Shared by the recorder (record.ts, against qemu-storage-daemon 7.2) and the replay test
 * (test/qmp-hostile.test.ts, against permgraph).
 */
import { createConnection, type Socket } from 'node:net';

/** What the connection does before the case's bytes: nothing, or qmp_capabilities (with OOB). */
export type Negotiation = 'none' | 'plain' | 'oob';

/** Bytes sent in one write: UTF-8 text, raw bytes, or a text repeated (to keep big inputs small). */
export type Chunk = { readonly text: string } | { readonly base64: string } | { readonly repeat: string; readonly times: number };

/** One line received, with its line end: text when it is valid UTF-8, else its bytes. */
export type Line = string | { readonly base64: string };

export interface HostileCase {
  /** `kind/slug`, unique. */
  readonly name: string;
  readonly kind: string;
  readonly negotiate: Negotiation;
  /** Changes the daemon's state (adds nodes, …): played on a daemon of its own. */
  readonly isolated: boolean;
  /** Sent one write at a time, CHUNK_PAUSE_MS apart; the last one is SYNC_COMMAND. */
  readonly chunks: readonly Chunk[];
  /** How long the sync reply may take (default DEFAULT_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

export interface RecordedCase extends HostileCase {
  readonly greeting: Line;
  /** Every line after the greeting, the negotiation's reply and the sync reply included. */
  readonly replies: readonly Line[];
  /** Why the daemon's answer is no reference (invalid JSON, no answer in time, a crash). */
  readonly excluded?: string;
}

export interface FixtureFile {
  readonly kind: string;
  readonly daemon: string;
  readonly cases: readonly RecordedCase[];
}

export const SYNC_ID = 'hostile-sync';
export const SYNC_COMMAND = `{"execute": "query-version", "id": "${SYNC_ID}"}\n`;
export const NEGOTIATION: Readonly<Record<Exclude<Negotiation, 'none'>, string>> = {
  plain: '{"execute": "qmp_capabilities"}\n',
  oob: '{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}\n',
};
export const CHUNK_PAUSE_MS = 20;
export const DEFAULT_TIMEOUT_MS = 5000;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of `bytes` when they are valid UTF-8 (a BOM kept), else null. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export function chunkBytes(chunk: Chunk): Buffer {
  if ('text' in chunk) return Buffer.from(chunk.text, 'utf8');
  if ('base64' in chunk) return Buffer.from(chunk.base64, 'base64');
  return Buffer.from(chunk.repeat.repeat(chunk.times), 'utf8');
}

export function caseBytes(c: Pick<HostileCase, 'chunks'>): Buffer {
  return Buffer.concat(c.chunks.map(chunkBytes));
}

export function encodeLine(bytes: Uint8Array): Line {
  const text = utf8Text(bytes);
  return text !== null && Buffer.from(text, 'utf8').equals(bytes) ? text : { base64: Buffer.from(bytes).toString('base64') };
}

export function lineBytes(line: Line): Buffer {
  return typeof line === 'string' ? Buffer.from(line, 'utf8') : Buffer.from(line.base64, 'base64');
}

// ---------------------------------------------------------------------------------------------
// Exact JSON: a strict RFC 8259 parser that keeps every number's text

export type Tree =
  | { readonly k: 'lit'; readonly v: null | boolean }
  | { readonly k: 'num'; readonly raw: string }
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'arr'; readonly items: readonly Tree[] }
  | { readonly k: 'obj'; readonly members: readonly (readonly [string, Tree])[] };

export class JsonTextError extends Error {
  override readonly name = 'JsonTextError';
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const SPACE = /[ \t\n\r]*/y;

export function parseExact(text: string): Tree {
  let at = 0;
  const skip = (): void => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const fail = (what: string): never => {
    throw new JsonTextError(`${what} at ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return null;
    at = re.lastIndex;
    return m[0];
  };
  const value = (depth: number): Tree => {
    if (depth > 100_000) fail('too deep');
    skip();
    const ch = text[at];
    if (ch === '{') {
      at++;
      const members: [string, Tree][] = [];
      skip();
      if (text[at] === '}') {
        at++;
        return { k: 'obj', members };
      }
      for (;;) {
        skip();
        const key = match(STRING) ?? fail('expected a key');
        skip();
        if (text[at++] !== ':') fail('expected :');
        members.push([JSON.parse(key) as string, value(depth + 1)]);
        skip();
        const next = text[at++];
        if (next === '}') return { k: 'obj', members };
        if (next !== ',') fail('expected , or }');
      }
    }
    if (ch === '[') {
      at++;
      const items: Tree[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return { k: 'arr', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        skip();
        const next = text[at++];
        if (next === ']') return { k: 'arr', items };
        if (next !== ',') fail('expected , or ]');
      }
    }
    if (ch === '"') return { k: 'str', v: JSON.parse(match(STRING) ?? fail('bad string')) as string };
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { k: 'lit', v };
      }
    }
    const raw = match(NUMBER) ?? fail('expected a value');
    return { k: 'num', raw };
  };
  const tree = value(0);
  skip();
  if (at !== text.length) fail('trailing text');
  return tree;
}

const member = (tree: Tree, key: string): Tree | undefined => (tree.k === 'obj' ? tree.members.find(([k]) => k === key)?.[1] : undefined);

/** The line as compared: its text as sent, the wall clock of an event aside. */
export function comparable(line: Line): string {
  const bytes = lineBytes(line);
  const text = utf8Text(bytes);
  if (text === null) return `not UTF-8: ${bytes.toString('base64')}`;
  // byte for byte (members in QEMU's order, its escapes, its line end), but for the wall clock
  return text.replace(/^\{"timestamp": \{"seconds": \d+, "microseconds": \d+\}/, '{"timestamp": <wall clock>');
}

/** The reply to SYNC_COMMAND (its `id`, either a return or an error). */
export function isSyncReply(bytes: Uint8Array): boolean {
  const text = utf8Text(bytes);
  if (text === null || !text.includes(SYNC_ID)) return false;
  try {
    const tree = parseExact(text);
    const id = member(tree, 'id');
    return id?.k === 'str' && id.v === SYNC_ID && (member(tree, 'return') !== undefined || member(tree, 'error') !== undefined);
  } catch {
    return false;
  }
}

/** Why a recorded daemon line cannot serve as a reference, or null. */
export function invalidReply(line: Line): string | null {
  const bytes = lineBytes(line);
  const text = utf8Text(bytes);
  if (text === null) return 'a reply that is not UTF-8';
  try {
    parseExact(text);
    return null;
  } catch {
    return `a reply that is not JSON: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Playing a case

export interface Played {
  readonly greeting: Buffer | null;
  readonly replies: readonly Buffer[];
  /** sync: the sync reply came; closed: the server closed the connection first; timeout. */
  readonly end: 'sync' | 'closed' | 'timeout' | 'refused';
  readonly detail?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Lines from a socket, bytes as sent. */
class LineReader {
  private buffer: Buffer = Buffer.alloc(0);
  readonly lines: Buffer[] = [];
  closed = false;
  private wake: (() => void) | null = null;

  constructor(socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
      let at: number;
      while ((at = this.buffer.indexOf(0x0a)) >= 0) {
        this.lines.push(this.buffer.subarray(0, at + 1));
        this.buffer = this.buffer.subarray(at + 1);
      }
      this.notify();
    });
    const gone = (): void => {
      this.closed = true;
      this.notify();
    };
    socket.on('close', gone);
    socket.on('error', gone);
  }

  /** What came after the last line end. */
  rest(): Buffer | null {
    return this.buffer.length > 0 ? this.buffer : null;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Waits until `done()` holds, the socket closes or the deadline passes. */
  async until(done: () => boolean, deadline: number): Promise<'done' | 'closed' | 'timeout'> {
    for (;;) {
      if (done()) return 'done';
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function connectTo(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => resolve(null));
  });
}

/** Plays one case on a fresh connection to the QMP socket at `path`. */
export async function playCase(path: string, c: HostileCase): Promise<Played> {
  const socket = await connectTo(path);
  if (!socket) return { greeting: null, replies: [], end: 'refused' };
  const reader = new LineReader(socket);
  const deadline = Date.now() + (c.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const finish = (end: Played['end'], detail?: string): Played => {
    socket.destroy();
    const rest = reader.rest();
    const [greeting, ...replies] = rest ? [...reader.lines, rest] : reader.lines;
    return { greeting: greeting ?? null, replies, end, ...(detail ? { detail } : {}) };
  };
  try {
    const greeted = await reader.until(() => reader.lines.length >= 1, deadline);
    if (greeted !== 'done') return finish(greeted, 'no greeting');
    if (c.negotiate !== 'none') {
      socket.write(NEGOTIATION[c.negotiate]);
      const negotiated = await reader.until(() => reader.lines.length >= 2, deadline);
      if (negotiated !== 'done') return finish(negotiated, 'no reply to the negotiation');
    }
    for (const [i, chunk] of c.chunks.entries()) {
      if (i > 0) await sleep(CHUNK_PAUSE_MS);
      if (reader.closed) break;
      socket.write(chunkBytes(chunk));
    }
    const synced = await reader.until(() => reader.lines.some((l, i) => i > 0 && isSyncReply(l)), deadline);
    return finish(synced === 'done' ? 'sync' : synced);
  } catch (error) {
    return finish('closed', (error as Error).message);
  }
}
