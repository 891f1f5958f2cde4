/**
 * QEMU's JSON message splitter (qobject/json-streamer.c): collects the lexer's tokens until the
 * braces and brackets balance (a lone scalar or a closing bracket is a message of its own), then
 * parses them. QEMU's limits hold per message: 64 MiB of token text, 2 Mi tokens and nesting
 * deeper than 1024; past one, or at a stray token, the message so far is dropped and an error is
 * reported. Tokens are kept in flat typed arrays, so a message costs little more than its text.
 */
import { msg } from '../messages/messages.js';
import {
  JSON_ERROR,
  JSON_LCURLY,
  JSON_LSQUARE,
  JSON_OVERSIZED,
  JSON_RCURLY,
  JSON_RSQUARE,
  JsonLexer,
} from './json-lexer.js';
import { parseTokens, strayText, type Tokens } from './json-parser.js';

export const MAX_TOTAL_TOKEN_SIZE = 64 * 1024 * 1024;
export const MAX_TOKEN_COUNT = 2 * 1024 * 1024;
export const MAX_NESTING = 1024;

/** One message: a parsed value, or the error QEMU reports for it. */
export type Message = { readonly value: unknown } | { readonly error: string };

class TokenStore implements Tokens {
  types = new Uint8Array(16);
  starts = new Uint32Array(16);
  ends = new Uint32Array(16);
  text = new Uint8Array(256);
  count = 0;
  size = 0;

  push(type: number, bytes: Uint8Array, length: number): void {
    if (this.count === this.types.length) {
      this.types = grow(this.types, new Uint8Array(this.count * 2));
      this.starts = grow(this.starts, new Uint32Array(this.count * 2));
      this.ends = grow(this.ends, new Uint32Array(this.count * 2));
    }
    if (this.size + length > this.text.length) {
      this.text = grow(this.text, new Uint8Array(Math.max(this.text.length * 2, this.size + length)));
    }
    this.text.set(bytes.subarray(0, length), this.size);
    this.types[this.count] = type;
    this.starts[this.count] = this.size;
    this.size += length;
    this.ends[this.count] = this.size;
    this.count++;
  }

  clear(): void {
    this.count = 0;
    this.size = 0;
    // a huge message's arrays are not kept for the next one
    if (this.text.length > 1 << 16) this.text = new Uint8Array(256);
    if (this.types.length > 1 << 12) {
      this.types = new Uint8Array(16);
      this.starts = new Uint32Array(16);
      this.ends = new Uint32Array(16);
    }
  }
}

function grow<T extends Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export class JsonStreamer {
  private readonly tokens = new TokenStore();
  private braces = 0;
  private brackets = 0;
  private readonly lexer = new JsonLexer((type, bytes, length) => this.token(type, bytes, length));

  constructor(private readonly emit: (message: Message) => void) {}

  /** Takes input bytes from `from` on; stops after a message once `stop()` holds, returning where. */
  feed(input: Uint8Array, from = 0, stop?: () => boolean): number {
    return this.lexer.feed(input, from, stop);
  }

  /** json_message_process_token() */
  private token(type: number, bytes: Uint8Array, length: number): void {
    switch (type) {
      case JSON_LCURLY:
        this.braces++;
        break;
      case JSON_RCURLY:
        this.braces--;
        break;
      case JSON_LSQUARE:
        this.brackets++;
        break;
      case JSON_RSQUARE:
        this.brackets--;
        break;
      case JSON_ERROR:
        return this.finish({ error: msg.jsonParseError(msg.jsonStray(strayText(bytes, length))) });
      default:
        break;
    }
    if (type === JSON_OVERSIZED || this.tokens.size + length + 1 > MAX_TOTAL_TOKEN_SIZE) {
      return this.finish({ error: msg.jsonTokenSizeLimit() });
    }
    if (this.tokens.count + 1 > MAX_TOKEN_COUNT) return this.finish({ error: msg.jsonTokenCountLimit() });
    if (this.braces + this.brackets > MAX_NESTING) return this.finish({ error: msg.jsonNestingLimit() });
    this.tokens.push(type, bytes, length);
    if ((this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0) return;
    this.finish(parseTokens(this.tokens));
  }

  private finish(message: Message): void {
    this.braces = 0;
    this.brackets = 0;
    this.tokens.clear();
    this.emit(message);
  }
}
