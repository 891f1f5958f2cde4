/**
 * QEMU's JSON parser (qobject/json-parser.c): one message's tokens to a value (see
 * util/qobject.ts for how numbers keep their kind), with QEMU's error texts. Only the first error
 * of a message is reported, as parse_error() keeps only the first.
 */
import { msg } from '../messages/messages.js';
import {
  JSON_COLON,
  JSON_COMMA,
  JSON_FLOAT,
  JSON_INTEGER,
  JSON_KEYWORD,
  JSON_LCURLY,
  JSON_LSQUARE,
  JSON_RCURLY,
  JSON_RSQUARE,
  JSON_STRING,
} from './json-lexer.js';
import { isValidCodepoint } from '../util/qjson.js';
import { fromCodePoints, modUtf8Codepoint, strayText } from '../util/c-string.js';

export { strayText };
import { INT64_MAX, INT64_MIN, QFloat, setMember, UINT64_MAX } from '../util/qobject.js';

/** A message's tokens: token i is `types[i]`, its text `text[starts[i], ends[i])`. */
export interface Tokens {
  readonly types: Uint8Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly text: Uint8Array;
  readonly count: number;
}

class ParseError extends Error {}

const BACKSLASH = 0x5c;

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

const SIMPLE_ESCAPES: Readonly<Record<number, number>> = {
  0x22: 0x22, // \"
  0x27: 0x27, // \'
  0x5c: 0x5c, // \\
  0x2f: 0x2f, // \/
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
};

/** Printable ASCII without a backslash: the string is its bytes. */
function isPlainAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80 || byte === BACKSLASH) return false;
  }
  return true;
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: Tokens) {}

  value(): unknown {
    if (this.at >= this.tokens.count) throw new ParseError(msg.jsonPrematureEoi());
    switch (this.tokens.types[this.at]) {
      case JSON_LCURLY:
        return this.object();
      case JSON_LSQUARE:
        return this.array();
      case JSON_INTEGER:
      case JSON_FLOAT:
        return this.number();
      case JSON_STRING:
        return this.string();
      case JSON_KEYWORD:
        return this.keyword();
      default:
        throw new ParseError(msg.jsonExpectingValue());
    }
  }

  get done(): boolean {
    return this.at >= this.tokens.count;
  }

  private pop(): number {
    if (this.at >= this.tokens.count) throw new ParseError(msg.jsonPrematureEoi());
    return this.tokens.types[this.at++]!;
  }

  private peek(): number {
    if (this.at >= this.tokens.count) throw new ParseError(msg.jsonPrematureEoi());
    return this.tokens.types[this.at]!;
  }

  private text(index: number): string {
    return Buffer.from(this.tokens.text.buffer, this.tokens.text.byteOffset + this.tokens.starts[index]!, this.tokens.ends[index]! - this.tokens.starts[index]!).toString('latin1');
  }

  private object(): Record<string, unknown> {
    this.at++;
    const dict: Record<string, unknown> = {};
    if (this.peek() === JSON_RCURLY) {
      this.at++;
      return dict;
    }
    this.pair(dict);
    for (let token = this.pop(); token !== JSON_RCURLY; token = this.pop()) {
      if (token !== JSON_COMMA) throw new ParseError(msg.jsonDictSeparator());
      this.pair(dict);
    }
    return dict;
  }

  private pair(dict: Record<string, unknown>): void {
    this.peek();
    const key = this.value();
    if (typeof key !== 'string') throw new ParseError(msg.jsonKeyNotString());
    if (this.pop() !== JSON_COLON) throw new ParseError(msg.jsonMissingColon());
    const value = this.value();
    if (Object.hasOwn(dict, key)) throw new ParseError(msg.jsonDuplicateKey());
    setMember(dict, key, value);
  }

  private array(): unknown[] {
    this.at++;
    const list: unknown[] = [];
    if (this.peek() === JSON_RSQUARE) {
      this.at++;
      return list;
    }
    list.push(this.value());
    for (let token = this.pop(); token !== JSON_RSQUARE; token = this.pop()) {
      if (token !== JSON_COMMA) throw new ParseError(msg.jsonListSeparator());
      list.push(this.value());
    }
    return list;
  }

  private keyword(): boolean | null {
    const word = this.text(this.at++);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new ParseError(msg.jsonInvalidKeyword(word));
  }

  /** An integer is int64, else (unsigned) uint64, else a double; a float a double. */
  private number(): unknown {
    const type = this.tokens.types[this.at]!;
    const text = this.text(this.at++);
    if (type === JSON_INTEGER) {
      const value = BigInt(text);
      if (value >= INT64_MIN && value <= INT64_MAX) return Number.isSafeInteger(Number(value)) ? Number(value) : value;
      if (value > 0n && value <= UINT64_MAX) return value;
    }
    return new QFloat(Number(text));
  }

  /** parse_string(): escapes and (modified) UTF-8 checked as QEMU does. */
  private string(): string {
    const { text, starts, ends } = this.tokens;
    const index = this.at++;
    const end = ends[index]! - 1; // the closing quote
    const body = text.subarray(starts[index]! + 1, end);
    if (isPlainAscii(body)) return Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1');
    const points: number[] = [];
    for (let p = starts[index]! + 1; p < end; ) {
      if (text[p] !== BACKSLASH) {
        const { cp, next } = modUtf8Codepoint(text, p, end + 1);
        if (cp < 0) throw new ParseError(msg.jsonInvalidUtf8());
        points.push(cp);
        p = next;
        continue;
      }
      const begin = p++;
      const escape = text[p++]!;
      const simple = SIMPLE_ESCAPES[escape];
      if (simple !== undefined) {
        points.push(simple);
        continue;
      }
      if (escape !== 0x75) throw new ParseError(msg.jsonInvalidEscape());
      let cp = this.hex4(p, end + 1);
      p += 4;
      if (cp >= 0xd800 && cp <= 0xdbff && text[p] === BACKSLASH && text[p + 1] === 0x75) {
        const trailing = this.hex4(p + 2, end + 1);
        if (trailing >= 0xdc00 && trailing <= 0xdfff) {
          cp = 0x10000 + ((cp & 0x3ff) << 10) + (trailing & 0x3ff);
          p += 6;
        } else {
          cp = -1;
        }
      }
      if (cp < 0 || !isValidCodepoint(cp)) {
        const shown = text.subarray(begin, Math.min(p, end + 1));
        throw new ParseError(msg.jsonInvalidUnicode(strayText(shown, shown.length)));
      }
      points.push(cp);
    }
    return fromCodePoints(points);
  }

  /** cvt4hex(): four hex digits, or -1 (reading stops at the token's end). */
  private hex4(at: number, end: number): number {
    let cp = 0;
    for (let i = 0; i < 4; i++) {
      const digit = at + i < end ? hexValue(this.tokens.text[at + i]) : -1;
      if (digit < 0) return -1;
      cp = cp * 16 + digit;
    }
    return cp;
  }
}

/** json_parser_parse() on one message. */
export function parseTokens(tokens: Tokens): { readonly value: unknown } | { readonly error: string } {
  try {
    return { value: new Parser(tokens).value() };
  } catch (error) {
    if (error instanceof ParseError) return { error: msg.jsonParseError(error.message) };
    throw error;
  }
}
