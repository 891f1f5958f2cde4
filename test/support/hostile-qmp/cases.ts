/**
 * The hostile QMP corpus: malformed and hostile inputs, built as families of variations. Each
 * case is the raw bytes one connection sends after the greeting (and, when the case says so,
 * after qmp_capabilities), in writes, ending with SYNC_COMMAND so that the replies are known to be
 * complete and the connection alive. Deterministic: the same list on every call.
 *
 * test/fixtures/hostile-qmp/ holds these cases with qemu-storage-daemon 7.2's replies
 * (test/support/hostile-qmp/record.ts); test/qmp-hostile.test.ts replays them against permgraph.
 */
import { chunkBytes, SYNC_COMMAND, utf8Text, type Chunk, type HostileCase, type Negotiation } from './wire.js';

export const KINDS = [
  'json-syntax',
  'json-number',
  'json-keyword',
  'stray-char',
  'string-escape',
  'string-control',
  'utf8',
  'bom',
  'single-quote',
  'duplicate-key',
  'nesting',
  'envelope',
  'oob',
  'capabilities',
  'before-negotiation',
  'prototype-names',
  'id-types',
  'int-edges',
  'multi-command',
  'big-input',
] as const;

export type Kind = (typeof KINDS)[number];

/** A piece of a write: text (sent as UTF-8; no lone surrogates) or raw bytes. */
type Part = string | readonly number[];

function bytesOf(parts: readonly Part[]): Buffer {
  return Buffer.concat(
    parts.map((part) => {
      if (typeof part !== 'string') return Buffer.from(part);
      if (/[\uD800-\uDFFF]/u.test(part)) throw new Error(`text with a lone surrogate: ${JSON.stringify(part)}`);
      return Buffer.from(part, 'utf8');
    }),
  );
}

/** One write, stored as text when it is valid UTF-8, else as base64. */
export function chunk(...parts: Part[]): Chunk {
  const bytes = bytesOf(parts);
  const text = utf8Text(bytes);
  return text !== null && Buffer.from(text, 'utf8').equals(bytes) ? { text } : { base64: bytes.toString('base64') };
}

/** Bytes a case sends that change the daemon's state: such a case gets a daemon of its own. */
const STATEFUL = /blockdev-add|blockdev-create|object-add|nbd-server-start|block-export-add|blockdev-backup|blockdev-mirror|block-commit|block-stream|blockdev-snapshot|blockdev-reopen|quit/;

interface CaseOptions {
  readonly negotiate?: Negotiation;
  readonly isolated?: boolean;
  readonly timeoutMs?: number;
  /** Leave the last write without a line end (the sync then follows on the same line). */
  readonly sameLine?: boolean;
}

class Family {
  readonly cases: HostileCase[] = [];
  constructor(readonly kind: Kind) {}

  /** A case of one write (parts) or several (an array of chunks). */
  add(slug: string, body: readonly Part[] | { readonly chunks: readonly Chunk[] }, options: CaseOptions = {}): void {
    const chunks: Chunk[] = 'chunks' in body ? [...body.chunks] : [chunk(...body)];
    const last = chunks.at(-1);
    if (!options.sameLine && last && !endsWithNewline(last)) chunks[chunks.length - 1] = chunk(...partsOf(last), '\n');
    chunks.push({ text: SYNC_COMMAND });
    const sent = chunks.map((c) => ('repeat' in c ? c.repeat : chunkBytes(c).toString('latin1'))).join('');
    this.cases.push({
      name: `${this.kind}/${slug}`,
      kind: this.kind,
      negotiate: options.negotiate ?? 'plain',
      isolated: options.isolated ?? STATEFUL.test(sent),
      chunks,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }
}

function partsOf(c: Chunk): Part[] {
  if ('text' in c) return [c.text];
  if ('base64' in c) return [[...Buffer.from(c.base64, 'base64')]];
  throw new Error('a repeated chunk cannot be extended');
}

function endsWithNewline(c: Chunk): boolean {
  if ('text' in c) return c.text.endsWith('\n');
  if ('base64' in c) return Buffer.from(c.base64, 'base64').at(-1) === 0x0a;
  return c.repeat.endsWith('\n');
}

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const slugOf = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9]+/g, (run) => `-${[...run].map((c) => c.codePointAt(0)!.toString(16)).join('')}-`)
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'empty';

/** A control byte that sends QEMU's lexer back to a known-good state (docs/interop/qmp-spec). */
const RESET: Part = [0x1b];
const Q = '"execute": "query-version"';
const PROTO = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'propertyIsEnumerable', 'toLocaleString'];

// ---------------------------------------------------------------------------------------------

function jsonSyntax(f: Family): void {
  /** Values with a mistake, tried at the top level, as `arguments` and as `id`. */
  const values: readonly (readonly [string, string])[] = [
    ['trailing-comma-object', '{"a": 1,}'],
    ['trailing-comma-array', '[1,]'],
    ['leading-comma-array', '[,1]'],
    ['comma-only-object', '{,}'],
    ['comma-only-array', '[,]'],
    ['missing-colon', '{"a" 1}'],
    ['missing-comma-object', '{"a": 1 "b": 2}'],
    ['missing-comma-array', '[1 2]'],
    ['double-colon', '{"a":: 1}'],
    ['double-comma', '[1,, 2]'],
    ['missing-value', '{"a": }'],
    ['missing-key', '{: 1}'],
    ['number-key', '{1: 2}'],
    ['keyword-key', '{null: 1}'],
    ['object-key', '{{}: 1}'],
    ['array-key', '{[]: 1}'],
    ['object-closed-by-bracket', '{"a": 1]'],
    ['array-closed-by-brace', '[1}'],
    ['bracket-brace', '[}'],
    ['brace-bracket', '{]'],
    ['extra-brace', '{"a": 1}}'],
    ['extra-bracket', '[1]]'],
    ['nested-mismatch', '{"a": [1}'],
    ['key-without-value', '{"a": 1, "b"}'],
    ['colon-in-array', '[1: 2]'],
    ['comma-after-key', '{"a", 1}'],
    ['value-after-value', '{"a": 1 2}'],
  ];
  for (const [slug, v] of values) {
    // the streamer counts braces and brackets apart: `{[}` leaves one bracket open, and it waits
    const tail: Part[] = /\[1\}$/.test(v) ? ['\n', RESET] : [];
    f.add(`${slug}/top`, [v, ...tail]);
    f.add(`${slug}/arguments`, [`{"execute": "query-jobs", "arguments": ${v}}`, ...tail]);
    f.add(`${slug}/id`, [`{${Q}, "id": ${v}}`, ...tail]);
  }
  // values the parser waits on: the reset byte ends them
  const open: readonly (readonly [string, string, string])[] = [
    ['unclosed-object', '{"execute": "query-version"', '}'],
    ['unclosed-array', '[1, 2', ']'],
    ['unclosed-deep', '{"a": {"b": [', ']}}'],
    ['unclosed-key', '{"a"', '}'],
    ['unclosed-after-comma', '{"a": 1,', '}'],
    ['value-then-open', '{"execute": "query-jobs"}{', '}'],
  ];
  for (const [slug, v, closers] of open) {
    f.add(`${slug}/reset-byte`, { chunks: [chunk(v, '\n'), chunk(RESET, '\n')] });
    f.add(`${slug}/closed-later`, { chunks: [chunk(v, '\n'), chunk(closers, '\n')] });
  }
  for (const token of [',', ':', ']', '}', '[]', '{}', '"execute"', '"a": 1']) f.add(`lone/${slugOf(token)}`, [token]);
  for (const [slug, v] of values.slice(0, 6)) f.add(`${slug}/before-negotiation`, [v], { negotiate: 'none' });
}

function jsonNumber(f: Family): void {
  const numbers = ['01', '00', '-01', '1.', '.5', '-', '-.5', '1e', '1e+', '1E-', '+1', '1e999', '-1e999', '1e-999', '0x10', '1_000', '1..2', '1e1.5', '--1', '1-', '0.', '-0', '-0.0', '1E3', '2.5e-3', '1e0', '0e5'];
  for (const n of numbers) {
    f.add(`${slugOf(n)}/top`, [n]);
    f.add(`${slugOf(n)}/id`, [`{${Q}, "id": ${n}}`]);
    f.add(`${slugOf(n)}/in-list`, [`{${Q}, "id": [${n}, 1]}`]);
  }
}

function jsonKeyword(f: Family): void {
  const words = ['tru', 'True', 'TRUE', 'NULL', 'Null', 'nul', 'nulll', 'fals', 'falsey', 'truefalse', 't', 'f', 'n', 'undefined', 'NaN', 'Infinity', '-Infinity', 'nil', 'none', 'on', 'true1', 'null_'];
  for (const w of words) {
    f.add(`${slugOf(w)}/top`, [w]);
    f.add(`${slugOf(w)}/id`, [`{${Q}, "id": ${w}}`]);
    f.add(`${slugOf(w)}/key`, [`{${w}: 1}`]);
  }
  for (const w of ['execute', 'query']) f.add(`bare-word-${w}`, [`{${w}: "query-version"}`]);
}

function strayChar(f: Family): void {
  const printable = ['"', '@', '%', '\\', '#', '$', '&', '*', '=', ';', '<', '>', '?', '|', '~', '`', '(', ')', '!', '^', '/', '+', '.'];
  for (const ch of printable) {
    const slug = `char-${ch.codePointAt(0)!.toString(16)}`;
    f.add(`${slug}/alone`, [ch]);
    f.add(`${slug}/in-object`, [`{"execute": ${ch}"query-version"}`]);
    f.add(`${slug}/before-command`, [`${ch}{${Q}, "id": "after"}`]);
  }
  for (let b = 0; b < 0x20; b++) {
    f.add(`ctl-${hex(b)}/alone`, [[b]]);
    f.add(`ctl-${hex(b)}/in-object`, [`{"execute":`, [b], ` "query-version", "id": "x"}`]);
  }
  for (const b of [0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff]) {
    f.add(`byte-${hex(b)}/alone`, [[b]]);
    f.add(`byte-${hex(b)}/in-object`, [`{"execute":`, [b], ` "query-version", "id": "x"}`]);
    f.add(`byte-${hex(b)}/before-command`, [[b], `{${Q}, "id": "after"}`]);
  }
}

function stringEscape(f: Family): void {
  const escapes: readonly (readonly [string, string])[] = [
    ['bad-q', '\\q'],
    ['bad-a', '\\a'],
    ['bad-v', '\\v'],
    ['bad-0', '\\0'],
    ['bad-x41', '\\x41'],
    ['bad-U0041', '\\U0041'],
    ['short-u12', '\\u12'],
    ['u-alone', '\\u'],
    ['u-non-hex', '\\u12G4'],
    ['u-lower-hex', '\\u00e9'],
    ['u-upper-hex', '\\u00E9'],
    ['lone-high-d800', '\\uD800'],
    ['lone-high-dbff', '\\uDBFF'],
    ['lone-low-dc00', '\\uDC00'],
    ['lone-low-dfff', '\\uDFFF'],
    ['pair', '\\uD83D\\uDE00'],
    ['high-then-letter', '\\uD83D\\u0041'],
    ['high-then-raw', '\\uD83Dx'],
    ['low-then-high', '\\uDE00\\uD83D'],
    ['two-highs', '\\uD800\\uD800'],
    ['nul', '\\u0000'],
    ['u0001', '\\u0001'],
    ['u001f', '\\u001F'],
    ['u007f', '\\u007F'],
    ['u0080', '\\u0080'],
    ['uffff', '\\uFFFF'],
    ['ufffe', '\\uFFFE'],
    ['ufdd0', '\\uFDD0'],
    ['ufeff', '\\uFEFF'],
    ['apostrophe', "\\'"],
    ['slash', '\\/'],
    ['short-escapes', '\\b\\f\\n\\r\\t'],
    ['backslash', '\\\\'],
    ['quote', '\\"'],
  ];
  for (const [slug, e] of escapes) {
    f.add(`${slug}/id`, [`{${Q}, "id": "a${e}b"}`]);
    f.add(`${slug}/execute`, [`{"execute": "x${e}y"}`]);
    f.add(`${slug}/node-name`, [`{"execute": "blockdev-del", "arguments": {"node-name": "n${e}"}}`]);
  }
  f.add('backslash-at-end/id', [`{${Q}, "id": "abc\\"}`, '\n', RESET]);
  f.add('escape-in-key', [`{"exec\\u0075te": "query-version", "id": "k"}`]);
  f.add('escape-in-arguments-key', [`{"execute": "query-jobs", "argu\\u006dents": {}}`]);
}

function stringControl(f: Family): void {
  for (let b = 0; b < 0x20; b++) f.add(`raw-${hex(b)}/id`, [`{${Q}, "id": "a`, [b], `b"}`]);
  f.add('raw-0x7f/id', [`{${Q}, "id": "a`, [0x7f], `b"}`]);
  for (const b of [0x00, 0x09, 0x0a, 0x1f]) f.add(`raw-${hex(b)}/execute`, [`{"execute": "query`, [b], `version"}`]);
  for (const b of [0x00, 0x0a]) f.add(`raw-${hex(b)}/single-quoted`, [`{${Q}, "id": 'a`, [b], `b'}`]);
}

function utf8(f: Family): void {
  const sequences: readonly (readonly [string, readonly number[]])[] = [
    ['bad-continuation', [0xc3, 0x28]],
    ['lone-continuation-80', [0x80]],
    ['lone-continuation-bf', [0xbf]],
    ['overlong-2-slash', [0xc0, 0xaf]],
    ['overlong-2-c1', [0xc1, 0xbf]],
    ['overlong-3', [0xe0, 0x80, 0xaf]],
    ['overlong-4', [0xf0, 0x80, 0x80, 0xaf]],
    ['overlong-nul-c0-80', [0xc0, 0x80]],
    ['overlong-nul-3', [0xe0, 0x80, 0x80]],
    ['truncated-3', [0xe2, 0x82]],
    ['truncated-4', [0xf0, 0x9f, 0x98]],
    ['truncated-2', [0xc3]],
    ['five-byte', [0xf8, 0x88, 0x80, 0x80, 0x80]],
    ['six-byte', [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80]],
    ['byte-fe', [0xfe]],
    ['byte-ff', [0xff]],
    ['surrogate-ed-a0-80', [0xed, 0xa0, 0x80]],
    ['surrogate-ed-bf-bf', [0xed, 0xbf, 0xbf]],
    ['beyond-10ffff', [0xf4, 0x90, 0x80, 0x80]],
    ['f5-lead', [0xf5, 0x80, 0x80, 0x80]],
    ['valid-e-acute', [0xc3, 0xa9]],
    ['valid-emoji', [0xf0, 0x9f, 0x98, 0x80]],
    ['valid-uffff', [0xef, 0xbf, 0xbf]],
    ['valid-ufdd0', [0xef, 0xb7, 0x90]],
    ['valid-u10ffff', [0xf4, 0x8f, 0xbf, 0xbf]],
  ];
  for (const [slug, bytes] of sequences) {
    f.add(`${slug}/id`, [`{${Q}, "id": "a`, bytes, `b"}`]);
    f.add(`${slug}/execute`, [`{"execute": "q`, bytes, `"}`]);
    f.add(`${slug}/outside-string`, [bytes, `{${Q}, "id": "after"}`]);
  }
}

function bom(f: Family): void {
  const BOM = [0xef, 0xbb, 0xbf];
  f.add('before-command', [BOM, `{${Q}, "id": "b"}`]);
  f.add('before-negotiation', [BOM, '{"execute": "qmp_capabilities"}'], { negotiate: 'none' });
  f.add('alone', [BOM]);
  f.add('twice', [BOM, BOM, `{${Q}, "id": "b"}`]);
  f.add('between-members', [`{${Q},`, BOM, ` "id": "b"}`]);
  f.add('after-command', [`{${Q}, "id": "b"}`, BOM]);
  f.add('utf16-be', [[0xfe, 0xff], `{${Q}, "id": "b"}`]);
  f.add('utf16-le', [[0xff, 0xfe], `{${Q}, "id": "b"}`]);
  f.add('in-key', [`{"`, BOM, `execute": "query-version"}`]);
  f.add('escaped-in-key', [`{"\\uFEFFexecute": "query-version"}`]);
  f.add('before-space', [BOM, ` {${Q}, "id": "b"}`]);
}

function singleQuote(f: Family): void {
  f.add('everything', [`{'execute': 'query-version', 'id': 'a'}`]);
  f.add('mixed', [`{'execute': "query-version", "id": 'a'}`]);
  f.add('escaped-apostrophe', [`{'execute': 'query-version', 'id': 'it\\'s'}`]);
  f.add('double-quote-inside', [`{'execute': 'query-version', 'id': 'say "hi"'}`]);
  f.add('escaped-double-quote-inside', [`{'execute': 'query-version', 'id': 'say \\"hi\\"'}`]);
  f.add('apostrophe-in-double', [`{${Q}, "id": "it's"}`]);
  f.add('empty', [`{'execute': 'query-version', 'id': ''}`]);
  f.add('unicode-escape', [`{'execute': 'query-version', 'id': '\\u00e9\\uD83D\\uDE00'}`]);
  f.add('raw-utf8', [`{'execute': 'query-version', 'id': 'é😀'}`]);
  f.add('unterminated', [`{'execute': 'query-version}`]);
  f.add('unterminated-then-reset', { chunks: [chunk(`{'execute': 'query-version`), chunk(RESET, '\n')] });
  f.add('arguments-key', [`{'execute': 'blockdev-del', 'arguments': {'node-name': 'nope'}}`]);
  f.add('negotiation', [`{'execute': 'qmp_capabilities'}`], { negotiate: 'none' });
  f.add('top-level', [`'query-version'`]);
  f.add('backtick', ['{`execute`: `query-version`}']);
}

function duplicateKey(f: Family): void {
  f.add('execute-same', [`{${Q}, ${Q}}`]);
  f.add('execute-different', [`{${Q}, "execute": "nosuch"}`]);
  f.add('execute-invalid-first', [`{"execute": 1, ${Q}}`]);
  f.add('id', [`{${Q}, "id": 1, "id": 2}`]);
  f.add('arguments', [`{"execute": "query-jobs", "arguments": {}, "arguments": {}}`]);
  f.add('exec-oob', [`{"exec-oob": "query-version", "exec-oob": "query-version", "id": 1}`], { negotiate: 'oob' });
  f.add('in-arguments', [`{"execute": "blockdev-del", "arguments": {"node-name": "a", "node-name": "b"}}`]);
  f.add('blockdev-add-node-name', [`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "a", "node-name": "b"}}`, '\n{"execute": "query-named-block-nodes", "arguments": {"flat": true}, "id": "q"}']);
  f.add('blockdev-add-nested', [`{"execute": "blockdev-add", "arguments": {"driver": "raw", "node-name": "r", "file": {"driver": "null-co", "size": 1, "size": 2}}}`]);
  f.add('capabilities-enable', [`{"execute": "qmp_capabilities", "arguments": {"enable": [], "enable": ["oob"]}}`], { negotiate: 'none' });
  f.add('in-id-object', [`{${Q}, "id": {"a": 1, "a": 2}}`]);
  f.add('deep-in-list', [`{${Q}, "id": [{"a": [{"b": 1, "b": 1}]}]}`]);
  f.add('escaped-equivalent', [`{${Q}, "id": {"a": 1, "\\u0061": 2}}`]);
  f.add('single-and-double-quoted', [`{${Q}, "id": {'a': 1, "a": 2}}`]);
  f.add('empty-key', [`{${Q}, "id": {"": 1, "": 2}}`]);
  f.add('different-types', [`{${Q}, "id": {"a": [], "a": null}}`]);
  f.add('before-negotiation', [`{"execute": "qmp_capabilities", "execute": "qmp_capabilities"}`], { negotiate: 'none' });
  f.add('in-top-level-unknown', [`{${Q}, "x": 1, "x": 1}`]);
}

function nesting(f: Family): void {
  const arrays = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  const objects = (n: number): string => '{"a": '.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
  f.add('arrays-1023', [arrays(1023)]);
  f.add('arrays-1024', [arrays(1024)]);
  f.add('arrays-1025-closed', [arrays(1025)]);
  f.add('arrays-1025-open', ['['.repeat(1025)]);
  f.add('arrays-2000-open', { chunks: [chunk('['.repeat(2000), '\n'), chunk(RESET, '\n')] });
  f.add('objects-1024', [objects(1024)]);
  f.add('objects-1025-open', ['{"a": '.repeat(1025)]);
  f.add('mixed-1024', ['[{"a": '.repeat(512) + '1' + '}]'.repeat(512)]);
  f.add('id-total-1024', [`{${Q}, "id": ${arrays(1023)}}`]);
  f.add('id-total-1025-open', [`{${Q}, "id": ${'['.repeat(1024)}`]);
  f.add('arguments-total-1024', [`{"execute": "query-jobs", "arguments": ${objects(1023)}}`]);
  f.add('arguments-total-1025', [`{"execute": "query-jobs", "arguments": ${'{"a": '.repeat(1024)}`]);
  f.add('open-1025-then-command', ['['.repeat(1025), `{${Q}, "id": "after"}`]);
  f.add('open-1025-split', { chunks: [chunk('['.repeat(1000)), chunk('['.repeat(25)), chunk(`{${Q}, "id": "after"}`)] });
  f.add('closing-mismatch-deep', ['['.repeat(100) + '}']);
  f.add('id-depth-100', [`{${Q}, "id": ${'{"a": ['.repeat(50)}1${']}'.repeat(50)}}`]);
}

function envelope(f: Family): void {
  const executes = ['null', '42', '-1', '1.5', 'true', 'false', '{}', '[]', '""', '" query-version"', '"QUERY-VERSION"', '"query-version "', '"query_version"', '"query-version\\u0000"', `"${'q'.repeat(300)}"`];
  for (const e of executes) f.add(`execute-${slugOf(e)}`, [`{"execute": ${e}, "id": "e"}`]);
  for (const a of ['null', '1', '"x"', '[]', '[1]', 'true', '{}', '{"": 1}']) f.add(`arguments-${slugOf(a)}`, [`{"execute": "query-jobs", "arguments": ${a}, "id": "a"}`]);
  for (const m of ['extra', 'Execute', 'ID', 'control', '', 'arguments ', 'execute ']) f.add(`unknown-member-${slugOf(m)}`, [`{${Q}, "${m}": 1}`]);
  for (const body of ['{}', '{"id": 1}', '{"arguments": {}}', '{"id": "x", "arguments": {}}', '{"id": null}']) f.add(`no-execute-${slugOf(body)}`, [body]);
  const pairs: readonly (readonly [string, string, string])[] = [
    ['execute-and-arguments', '"execute": 1', '"arguments": []'],
    ['unknown-and-execute', '"extra": 1', '"execute": 2'],
    ['unknown-and-arguments', '"extra": 1', '"arguments": [], "execute": "query-jobs"'],
    ['two-unknown', '"a": 1', `"b": 2, ${Q}`],
    ['two-unknown-zz', '"zz": 1', `"aa": 2, ${Q}`],
    ['nosuch-and-arguments', '"execute": "nosuch"', '"arguments": []'],
    ['unknown-and-no-execute', '"id": 1', '"extra": 1'],
    ['execute-null-and-arguments', '"execute": null', '"arguments": 1'],
    ['exec-oob-and-unknown', '"exec-oob": "query-version"', '"extra": 1'],
    ['execute-and-exec-oob-invalid', '"execute": 1', '"exec-oob": 1'],
  ];
  for (const [slug, a, b] of pairs) {
    f.add(`${slug}/ab`, [`{${a}, ${b}}`]);
    f.add(`${slug}/ba`, [`{${b}, ${a}}`]);
  }
  for (const c of ['nosuch', 'query-version', 'blockdev-del']) f.add(`arguments-list-${c}`, [`{"execute": "${c}", "arguments": [], "id": 1}`]);
  f.add('id-only-with-error', [`{"execute": "nosuch", "id": {"n": 1}}`]);
  f.add('query-with-argument', [`{${Q}, "arguments": {"x": 1}}`]);
  f.add('missing-argument', [`{"execute": "blockdev-del", "arguments": {}}`]);
  f.add('wrong-argument-type', [`{"execute": "blockdev-del", "arguments": {"node-name": ["a"]}}`]);
}

function oob(f: Family): void {
  for (const negotiate of ['plain', 'oob'] as const) {
    f.add(`${negotiate}/exec-oob-query-version`, [`{"exec-oob": "query-version", "id": "o"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-no-id`, [`{"exec-oob": "query-version"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-nosuch`, [`{"exec-oob": "nosuch", "id": "o"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-capabilities`, [`{"exec-oob": "qmp_capabilities", "id": "o"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-number`, [`{"exec-oob": 1, "id": "o"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-null`, [`{"exec-oob": null, "id": "o"}`], { negotiate });
    f.add(`${negotiate}/both-same`, [`{"execute": "query-version", "exec-oob": "query-version", "id": "o"}`], { negotiate });
    f.add(`${negotiate}/both-different`, [`{"exec-oob": "nosuch", "execute": "query-jobs", "id": "o"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-bad-arguments`, [`{"exec-oob": "query-version", "arguments": [], "id": "o"}`], { negotiate });
    f.add(`${negotiate}/exec-oob-object`, [`{"exec-oob": {}, "id": "o"}`], { negotiate });
    f.add(`${negotiate}/in-band-no-id`, [`{"execute": "query-jobs"}`], { negotiate });
    f.add(`${negotiate}/in-band-two`, [`{"execute": "query-jobs", "id": 1}{"execute": "query-jobs", "id": 2}`], { negotiate });
  }
  f.add('none/exec-oob-query-version', [`{"exec-oob": "query-version", "id": "o"}`], { negotiate: 'none' });
  f.add('none/exec-oob-capabilities', [`{"exec-oob": "qmp_capabilities", "id": "o"}`], { negotiate: 'none' });
  f.add('none/exec-oob-capabilities-oob', [`{"exec-oob": "qmp_capabilities", "arguments": {"enable": ["oob"]}}`], { negotiate: 'none' });
}

function capabilities(f: Family): void {
  const args = ['{"enable": "oob"}', '{"enable": 1}', '{"enable": {}}', '{"enable": null}', '{"enable": true}', '{"enable": ["foo"]}', '{"enable": ["OOB"]}', '{"enable": []}', '{"enable": ["oob", "oob"]}', '{"enable": [1]}', '{"enable": [null]}', '{"enable": [["oob"]]}', '{"enable": ["oob", "foo"]}', '{"enable": ["oob"], "x": 1}', '{"x": 1}', '[]', 'null', '"oob"', '{}'];
  for (const a of args) {
    f.add(`before/${slugOf(a)}`, [`{"execute": "qmp_capabilities", "arguments": ${a}, "id": "c"}`], { negotiate: 'none' });
    f.add(`after/${slugOf(a)}`, [`{"execute": "qmp_capabilities", "arguments": ${a}, "id": "c"}`]);
  }
  f.add('after-oob/again-oob', [`{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}`], { negotiate: 'oob' });
  f.add('after-oob/again-plain', [`{"execute": "qmp_capabilities"}`], { negotiate: 'oob' });
  f.add('before/with-id-object', [`{"execute": "qmp_capabilities", "id": {"a": [1]}}`], { negotiate: 'none' });
  f.add('before/twice', [`{"execute": "qmp_capabilities"}{"execute": "qmp_capabilities"}`], { negotiate: 'none' });
}

function beforeNegotiation(f: Family): void {
  const none = { negotiate: 'none' } as const;
  f.add('query-version-with-id', [`{${Q}, "id": 1}`], none);
  f.add('query-jobs', [`{"execute": "query-jobs"}`], none);
  f.add('nosuch', [`{"execute": "nosuch", "id": "n"}`], none);
  f.add('blockdev-del-bad-arguments', [`{"execute": "blockdev-del", "arguments": {"node-name": 1}}`], none);
  f.add('arguments-list', [`{${Q}, "arguments": []}`], none);
  f.add('unknown-member', [`{${Q}, "extra": 1}`], none);
  f.add('execute-number', [`{"execute": 1}`], none);
  f.add('no-execute', [`{"id": 1}`], none);
  f.add('not-an-object', [`[1]`], none);
  f.add('parse-error', [`{"execute": }`], none);
  f.add('upper-case', [`{"execute": "QMP_CAPABILITIES"}`], none);
  f.add('dash-name', [`{"execute": "qmp-capabilities"}`], none);
  f.add('negotiate-then-command-one-write', [`{"execute": "qmp_capabilities"}{"execute": "query-jobs", "id": 2}`], none);
  f.add('command-then-negotiate', [`{"execute": "query-jobs"}\n{"execute": "qmp_capabilities", "id": 1}`], none);
  f.add('quit', [`{"execute": "quit"}`], none);
  f.add('capabilities-with-arguments-error-then-ok', [`{"execute": "qmp_capabilities", "arguments": {"enable": ["x"]}}\n{"execute": "qmp_capabilities"}`], none);
}

function prototypeNames(f: Family): void {
  for (const p of PROTO) {
    f.add(`execute/${p}`, [`{"execute": "${p}", "id": "p"}`]);
    f.add(`object-del/${p}`, [`{"execute": "object-del", "arguments": {"id": "${p}"}}`]);
    f.add(`job-cancel/${p}`, [`{"execute": "job-cancel", "arguments": {"id": "${p}"}}`]);
    f.add(`blockdev-del/${p}`, [`{"execute": "blockdev-del", "arguments": {"node-name": "${p}"}}`]);
    f.add(`query-argument/${p}`, [`{"execute": "query-jobs", "arguments": {"${p}": 1}}`]);
    f.add(`member/${p}`, [`{${Q}, "${p}": 1}`]);
  }
  for (const p of PROTO.slice(0, 5)) {
    f.add(`block-job-cancel/${p}`, [`{"execute": "block-job-cancel", "arguments": {"device": "${p}"}}`]);
    f.add(`block-export-del/${p}`, [`{"execute": "block-export-del", "arguments": {"id": "${p}"}}`]);
    f.add(`id/${p}`, [`{${Q}, "id": "${p}"}`]);
    f.add(`id-object-key/${p}`, [`{${Q}, "id": {"${p}": null}}`]);
    f.add(`capability/${p}`, [`{"execute": "qmp_capabilities", "arguments": {"enable": ["${p}"]}}`], { negotiate: 'none' });
    f.add(`blockdev-add/${p}`, [`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "${p}"}}\n{"execute": "blockdev-del", "arguments": {"node-name": "${p}"}}`]);
  }
  f.add('query-named-block-nodes-flat-proto', [`{"execute": "query-named-block-nodes", "arguments": {"__proto__": {"flat": true}}}`]);
  f.add('arguments-proto-null', [`{"execute": "blockdev-del", "arguments": {"__proto__": null, "node-name": "x"}}`]);
}

function idTypes(f: Family): void {
  const ids = [
    '""', '"x"', '"é😀"', '"\\u00e9\\uD83D\\uDE00"', '"a\\nb\\tc"', '"\\"quoted\\""', `"${'i'.repeat(1000)}"`,
    '9007199254740993', '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616',
    '-9223372036854775808', '-9223372036854775809', '123456789012345678901234567890', '0', '-0',
    '1.5', '1.0', '1e3', '0.1', '1e-7', '5e-324', '1.7976931348623157e308', '1e308', '-2.5',
    '{}', '{"a": 1}', '{"b": 1, "a": 2, "c": 3}', '{"a": {"b": [1, {"c": null}]}}', '[]', '[1, "a", null, true, {}]',
    'null', 'true', 'false',
  ];
  for (const id of ids) {
    f.add(`${slugOf(id)}/return`, [`{${Q}, "id": ${id}}`]);
    f.add(`${slugOf(id)}/error`, [`{"execute": "nosuch", "id": ${id}}`]);
  }
  for (const id of ['"x"', '18446744073709551616', '{"a": 1}']) {
    f.add(`${slugOf(id)}/input-check-error`, [`{${Q}, "arguments": [], "id": ${id}}`]);
    f.add(`${slugOf(id)}/before-negotiation`, [`{${Q}, "id": ${id}}`], { negotiate: 'none' });
  }
  f.add('id-first', [`{"id": "first", ${Q}}`]);
}

function intEdges(f: Family): void {
  const values = ['-1', '0', '1', '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616', '-9223372036854775808', '-9223372036854775809', '1.0', '1e3', '1.5', '-0', '"1"', 'true', 'null'];
  for (const v of values) {
    f.add(`block_resize-size/${slugOf(v)}`, [`{"execute": "block_resize", "arguments": {"node-name": "nonode", "size": ${v}}}`]);
    f.add(`set-speed/${slugOf(v)}`, [`{"execute": "block-job-set-speed", "arguments": {"device": "nojob", "speed": ${v}}}`]);
  }
  const node = '{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "size": 1048576}}\n';
  for (const v of ['-1', '0', '9223372036854775807', '9223372036854775808', '1.0', '1e3', '1048576.5', '9223372035781033984', '9223372035781033985', '9007199254740993']) {
    f.add(`block_resize-node/${slugOf(v)}`, [node, `{"execute": "block_resize", "arguments": {"node-name": "n", "size": ${v}}}`]);
  }
  for (const v of ['-1', '0', '9223372036854775807', '9223372036854775808', '1.0', '1e3']) {
    f.add(`null-co-size/${slugOf(v)}`, [`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "size": ${v}}}`]);
  }
  for (const v of ['-1', '0', '18446744073709551615', '18446744073709551616', '1.0', '1e3']) {
    f.add(`null-co-latency-ns/${slugOf(v)}`, [`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "latency-ns": ${v}}}`]);
  }
  for (const member of ['offset', 'size']) {
    for (const v of ['-1', '512', '1048576', '2097152', '9223372036854775808', '1.0', '1e3']) {
      f.add(`raw-${member}/${slugOf(v)}`, [node, `{"execute": "blockdev-add", "arguments": {"driver": "raw", "node-name": "r", "file": "n", "${member}": ${v}}}`]);
    }
  }
  // BDRV_MAX_LENGTH (2^63 - 2^30) and its neighbours, where a double would round
  for (const v of ['9223372035781033984', '9223372035781033985', '9223372036854775295', '9007199254740993']) {
    f.add(`null-co-size-edge/${slugOf(v)}`, [`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "size": ${v}}}`]);
  }
  for (const v of ['9223372036854775807', '9223372036854775808']) {
    f.add(`null-co-latency-ns-edge/${slugOf(v)}`, [`{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": "n", "latency-ns": ${v}}}`]);
  }
}

function multiCommand(f: Family): void {
  const a = `{"execute": "query-jobs", "id": 1}`;
  const b = `{"execute": "query-block-jobs", "id": 2}`;
  const c = `{"execute": "nosuch", "id": 3}`;
  f.add('two-no-space', [a + b]);
  f.add('two-space', [`${a} ${b}`]);
  f.add('two-newline', [`${a}\n${b}`]);
  f.add('three-with-error', [a + c + b]);
  f.add('ten', [Array.from({ length: 10 }, (_, i) => `{"execute": "query-jobs", "id": ${i}}`).join('')]);
  f.add('garbage-between', [`${a}@@@${b}`]);
  f.add('parse-error-between', [`${a}{"x" 1}${b}`]);
  f.add('scalar-before', [`1${a}`]);
  f.add('scalar-space-before', [`1 ${a}`]);
  f.add('string-before', [`"s"${a}`]);
  f.add('keyword-before', [`true${a}`]);
  f.add('null-before', [`null${a}`]);
  f.add('list-before', [`[1]${a}`]);
  f.add('crlf', [`${a}\r\n${b}\r\n`]);
  f.add('tabs', [`\t{\t"execute":\t"query-jobs"\t}\t`]);
  f.add('form-feed', [`{"execute":\f"query-jobs"}`]);
  f.add('vertical-tab', [`{"execute":\v"query-jobs"}`]);
  f.add('newline-between-tokens', [`{\n"execute"\n:\n"query-version"\n,\n"id"\n:\n7\n}`]);
  f.add('blank-lines', [`\n\n\n${a}\n\n`]);
  f.add('same-line-as-sync', [a], { sameLine: true });
  const split = (slug: string, pieces: readonly string[]): void => f.add(`split/${slug}`, { chunks: pieces.map((p) => chunk(p)) });
  split('mid-key', ['{"exe', 'cute": "query-version", "id": "s"}']);
  split('mid-string-value', ['{"execute": "query-ver', 'sion", "id": "s"}']);
  split('mid-escape', ['{"execute": "query-version", "id": "\\u00', 'e9"}']);
  split('after-backslash', ['{"execute": "query-version", "id": "a\\', 'nb"}']);
  split('mid-number', ['{"execute": "query-version", "id": 12', '34}']);
  split('mid-keyword', ['{"execute": "query-version", "id": tr', 'ue}']);
  split('every-token', ['{', '"execute"', ':', '"query-version"', ',', '"id"', ':', '1', '}']);
  split('byte-by-byte', [...`{"execute": "query-jobs", "id": 9}`]);
  f.add('split/mid-utf8', { chunks: [chunk(`{${Q}, "id": "`, [0xf0, 0x9f]), chunk([0x98, 0x80], `"}`)] });
  split('two-commands-across', ['{"execute": "query-jobs", "id": 1}{"exec', 'ute": "query-jobs", "id": 2}']);
}

function bigInput(f: Family): void {
  const big = { timeoutMs: 60_000 };
  f.add('list-300k', { chunks: [{ text: '[0' }, { repeat: ',"a"', times: 75_000 }, { text: ']\n' }] }, big);
  f.add('string-1m-argument', { chunks: [{ text: `{"execute": "query-version", "arguments": {"pad": "` }, { repeat: 'x', times: 1 << 20 }, { text: '"}}\n' }] }, big);
  f.add('string-256k-top', { chunks: [{ text: '"' }, { repeat: 'x', times: 1 << 18 }, { text: '"\n' }] }, big);
  f.add('id-64k', { chunks: [{ text: `{"execute": "query-version", "id": "` }, { repeat: 'i', times: 1 << 16 }, { text: '"}\n' }] }, big);
  f.add('whitespace-256k', { chunks: [{ repeat: ' ', times: 1 << 18 }, { text: `{${Q}, "id": "w"}\n` }] }, big);
  f.add('commands-100', { chunks: [{ repeat: '{"execute": "query-jobs"}', times: 100 }, { text: '\n' }] }, big);
  f.add('token-count-limit', { chunks: [{ text: '[' }, { repeat: '0,', times: (1 << 20) - 1 }, { text: '0]\n' }] }, big);
  f.add('key-10k', { chunks: [{ text: `{"execute": "query-jobs", "arguments": {"` }, { repeat: 'k', times: 10_000 }, { text: '": 1}}\n' }] }, big);
}

const BUILDERS: Readonly<Record<Kind, (f: Family) => void>> = {
  'json-syntax': jsonSyntax,
  'json-number': jsonNumber,
  'json-keyword': jsonKeyword,
  'stray-char': strayChar,
  'string-escape': stringEscape,
  'string-control': stringControl,
  utf8,
  bom,
  'single-quote': singleQuote,
  'duplicate-key': duplicateKey,
  nesting,
  envelope,
  oob,
  capabilities,
  'before-negotiation': beforeNegotiation,
  'prototype-names': prototypeNames,
  'id-types': idTypes,
  'int-edges': intEdges,
  'multi-command': multiCommand,
  'big-input': bigInput,
};

/** Every case, kind by kind. */
export function hostileCases(): HostileCase[] {
  const all: HostileCase[] = [];
  for (const kind of KINDS) {
    const family = new Family(kind);
    BUILDERS[kind](family);
    all.push(...family.cases);
  }
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.name)) throw new Error(`two hostile cases named ${c.name}`);
    seen.add(c.name);
  }
  return all;
}
