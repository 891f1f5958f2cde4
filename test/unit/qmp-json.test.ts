/**
 * QEMU's JSON lexer, streamer and parser (src/server/json-*.ts): what each kind of input becomes,
 * QEMU's limits, and that no split of the input into packets and no byte sequence changes or
 * breaks it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStreamer, MAX_NESTING, type Message } from '../../src/server/json-streamer.js';
import { qjson } from '../../src/util/qjson.js';
import { QFloat } from '../../src/util/qobject.js';

function messages(...chunks: (string | Uint8Array)[]): Message[] {
  const out: Message[] = [];
  const streamer = new JsonStreamer((m) => out.push(m));
  for (const chunk of chunks) streamer.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  return out;
}

const error = (text: string): Message => ({ error: `JSON parse error, ${text}` });

describe('the JSON streamer', () => {
  it('splits messages where braces and brackets balance, and a lone scalar or closer is one', () => {
    expect(messages('{"a": [1, {"b": 2}]} 42 "s" ] }')).toEqual([
      { value: { a: [1, { b: 2 }] } },
      { value: 42 },
      { value: 's' },
      error('expecting value'),
      error('expecting value'),
    ]);
  });

  it('waits for an unclosed object across packets', () => {
    expect(messages('{"execute":', '\n "x"', '}')).toEqual([{ value: { execute: 'x' } }]);
    expect(messages('{this is not json')).toEqual([]);
  });

  it("reports a stray byte, drops the message so far and skips to the next structural character", () => {
    expect(messages('{"execute": @ junk}')).toEqual([error("stray '@'"), error('expecting value')]);
    expect(messages('"a\x01b"{"x":1}')).toEqual([error(`stray '"a\u0001'`), { value: { x: 1 } }]);
    expect(messages(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toEqual([error("stray '\ufffd'"), { value: {} }]);
    expect(messages('01')).toEqual([error("stray '01'")]);
    // a NUL ends the C string the message is made of
    expect(messages(Buffer.from([0x00]))).toEqual([error("stray ''")]);
  });

  it('keeps the kinds of numbers: int64, uint64, double', () => {
    const [m] = messages('[1, -0, 9007199254740993, 18446744073709551615, 18446744073709551616, 1.0, 1e3, -9223372036854775809]');
    expect(m).toEqual({
      value: [1, 0, 9007199254740993n, 18446744073709551615n, new QFloat(18446744073709551616), new QFloat(1), new QFloat(1000), new QFloat(-9223372036854775809)],
    });
    expect(qjson((m as { value: unknown }).value)).toBe(
      '[1, 0, 9007199254740993, 18446744073709551615, 1.8446744073709552e+19, 1, 1000, -9.2233720368547758e+18]',
    );
  });

  it('judges strings as QEMU does', () => {
    expect(messages(`'it''s'`)).toEqual([{ value: 'it' }, { value: 's' }]);
    expect(messages(`'say "hi"'`)).toEqual([{ value: 'say "hi"' }]);
    expect(messages('"\\u00e9\\ud83d\\ude00\\/\\\'"')).toEqual([{ value: "é😀/'" }]);
    expect(messages('"\\q"')).toEqual([error('invalid escape sequence in string')]);
    expect(messages('"\\uD800"')).toEqual([error('\\uD800 is not a valid Unicode character')]);
    expect(messages('"\\uD800\\u0041"')).toEqual([error('\\uD800 is not a valid Unicode character')]);
    expect(messages('"\\uFFFF"')).toEqual([error('\\uFFFF is not a valid Unicode character')]);
    expect(messages('"\\u12"')).toEqual([error('\\u12" is not a valid Unicode character')]);
    expect(messages(Buffer.from([0x22, 0xc3, 0x22]))).toEqual([error('invalid UTF-8 sequence in string')]);
    expect(messages(Buffer.from([0x22, 0xef, 0xbf, 0xbf, 0x22]))).toEqual([error('invalid UTF-8 sequence in string')]);
    // modified UTF-8: an overlong NUL is a NUL
    expect(messages(Buffer.from([0x22, 0xc0, 0x80, 0x22]))).toEqual([{ value: '\0' }]);
  });

  it('refuses duplicate keys, keys that are no strings and missing separators', () => {
    expect(messages('{"a": 1, "a": 2}')).toEqual([error('duplicate key')]);
    expect(messages('{"__proto__": 1, "__proto__": 2}')).toEqual([error('duplicate key')]);
    expect(messages('{1: 2}')).toEqual([error('key is not a string in object')]);
    expect(messages('{"a" 1}')).toEqual([error('missing : in object pair')]);
    expect(messages('{"a": 1 "b": 2}')).toEqual([error('expected separator in dict')]);
    expect(messages('[1 2]')).toEqual([error('expected separator in list')]);
    expect(messages('tru')).toEqual([]);
    expect(messages('tru ')).toEqual([error("invalid keyword 'tru'")]);
  });

  it("keeps '__proto__' as an ordinary member", () => {
    const [m] = messages('{"__proto__": {"polluted": true}}');
    const value = (m as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it(`refuses nesting deeper than ${MAX_NESTING}, and what follows is read anew`, () => {
    expect(messages(`${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`)).toHaveLength(1);
    const deeper = messages(`${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`);
    expect(deeper[0]).toEqual({ error: 'JSON nesting depth limit exceeded' });
    expect(deeper).toHaveLength(MAX_NESTING + 2);
  });

  it('takes a 300 KB line and a 2 MB string in one pass', () => {
    const line = `[0${',"a"'.repeat(75_000)}]`;
    const [m] = messages(line);
    expect((m as { value: unknown[] }).value).toHaveLength(75_001);
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect(messages(`{"s": "${big}"}`)).toEqual([{ value: { s: big } }]);
  });

  it('gives the same messages however the input is cut into packets, and never throws', () => {
    const fragment = fc.constantFrom(
      '{', '}', '[', ']', ',', ':', ' ', '\n', '"a"', "'b'", '"\\u00e9"', '"\\uD800"', '"\\q"', '1', '-0', '1.5e3',
      '18446744073709551616', 'true', 'nul', '@', '\x00', '\xff', '\xc3', '"', "'", '\\', '01', '-',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cuts) => {
        const input = Buffer.from(parts.join(''), 'latin1');
        const whole = messages(input);
        const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...points, input.length];
        const pieces = bounds.slice(1).map((end, i) => input.subarray(bounds[i], end));
        expect(messages(...pieces)).toEqual(whole);
        const byteByByte = messages(...[...input].map((b) => Uint8Array.of(b)));
        expect(byteByByte).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });
});
