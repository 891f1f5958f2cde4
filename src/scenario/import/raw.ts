/**
 * A raw QMP transcript: the JSON objects as they crossed the socket, one a line, with or without
 * the replies, events and greeting between the commands. A value may span lines (pretty-printed),
 * and a line may start with `->` or `<-` as QEMU's documentation marks the direction.
 */
import { Balance, LiteralError, readLiteral } from './literal.js';
import { classify, greetingVersion, lineError, type Message, type Transcript } from './transcript.js';

const ARROW = /^\s*(->|<-)\s?/;

/** The first non-blank character at or after `from`, or -1. */
function nextValue(text: string, from: number): number {
  const blank = /\S/g;
  blank.lastIndex = from;
  return blank.exec(text)?.index ?? -1;
}

/** Line numbers of places in a chunk that starts at line `first`, asked for in increasing order. */
function lineCounter(chunk: string, first: number): (at: number) => number {
  let [counted, breaks] = [0, 0];
  return (at) => {
    for (; counted < at && counted < chunk.length; counted++) if (chunk[counted] === '\n') breaks++;
    return first + breaks;
  };
}

/** The lines from `first` on that make up one value (or several), and the index of the last. */
function chunkFrom(lines: readonly string[], first: number): { chunk: string; last: number } {
  let chunk = lines[first]!.replace(ARROW, '');
  const balance = new Balance();
  balance.feed(chunk);
  let last = first;
  while (!balance.closed && last + 1 < lines.length) {
    const more = lines[++last]!;
    chunk += `\n${more}`;
    balance.feed(more);
  }
  return { chunk, last };
}

export function readQmpTranscript(text: string, file: string): Transcript {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const messages: Message[] = [];
  let version: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const { chunk, last } = chunkFrom(lines, i);
    const lineOf = lineCounter(chunk, i + 1);
    for (let start = nextValue(chunk, 0); start >= 0; ) {
      const from = lineOf(start);
      let read: { value: unknown; end: number };
      try {
        read = readLiteral(chunk, start);
      } catch (error) {
        if (!(error instanceof LiteralError)) throw error;
        const where = lineOf(Math.min(error.at, chunk.length - 1));
        throw lineError(file, where, `not valid JSON: ${error.message}${where > from ? ` (in the value that starts at line ${from})` : ''}`);
      }
      version ??= greetingVersion(read.value);
      messages.push(...classify(read.value, file, from));
      start = nextValue(chunk, read.end);
    }
    i = last;
  }
  const answered = messages.some((m) => m.kind !== 'command');
  return {
    kind: 'qmp',
    how: `a raw QMP transcript (JSON lines: ${answered ? 'commands, replies and events' : 'commands only, no replies'})`,
    messages,
    notes: [],
    ...(version ? { version } : {}),
  };
}
