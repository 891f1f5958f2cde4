/**
 * QEMU's JSON lexer (qobject/json-lexer.c, as in 7.2), byte by byte: a table-driven automaton
 * over the raw input, with QEMU's extensions (single-quoted strings, any escape left for the
 * parser to judge) and its error recovery: a byte that no token can take is reported as a stray
 * token, then input is skipped up to the next structural character ([ ] { } , :), control
 * character other than tab, or byte 0xFE/0xFF.
 */

/** Token types (json-lexer.h JSONTokenType); 0 is JSON_ERROR. */
export const JSON_ERROR = 0;
export const JSON_LCURLY = 100;
export const JSON_RCURLY = 101;
export const JSON_LSQUARE = 102;
export const JSON_RSQUARE = 103;
export const JSON_COLON = 104;
export const JSON_COMMA = 105;
export const JSON_INTEGER = 106;
export const JSON_FLOAT = 107;
export const JSON_KEYWORD = 108;
export const JSON_STRING = 109;
/** A token that outgrew MAX_TOKEN_SIZE, handed on unfinished (the streamer refuses it). */
export const JSON_OVERSIZED = 110;

/** One token longer than this (64 MiB) is cut off and reported. */
export const MAX_TOKEN_SIZE = 64 * 1024 * 1024;

const IN_RECOVERY = 1;
const IN_DQ_STRING_ESCAPE = 2;
const IN_DQ_STRING = 3;
const IN_SQ_STRING_ESCAPE = 4;
const IN_SQ_STRING = 5;
const IN_ZERO = 6;
const IN_EXP_DIGITS = 7;
const IN_EXP_SIGN = 8;
const IN_EXP_E = 9;
const IN_MANTISSA = 10;
const IN_MANTISSA_DIGITS = 11;
const IN_DIGITS = 12;
const IN_SIGN = 13;
const IN_KEYWORD = 14;
const IN_START = 15;
const STATES = 16;

/** A transition that does not consume its byte: the byte is looked at again in the next state. */
const LOOKAHEAD = 0x80;

const code = (ch: string): number => ch.charCodeAt(0);

/** One state's row of the table: where each byte leads. */
interface Row {
  set(from: number, to: number, next: number): void;
  on(chars: string, next: number): void;
}

function rowOf(table: Uint8Array, state: number): Row {
  return {
    set(from, to, next) {
      table.fill(next, state * 256 + from, state * 256 + to + 1);
    },
    on(chars, next) {
      for (const ch of chars) table[state * 256 + code(ch)] = next;
    },
  };
}

/** A state that ends its token on any byte it cannot take (the byte is looked at again). */
function terminalRow(table: Uint8Array, state: number, token: number): Row {
  const row = rowOf(table, state);
  row.set(0x00, 0xff, token | LOOKAHEAD);
  return row;
}

function range(from: string, to: string): string {
  let out = '';
  for (let c = code(from); c <= code(to); c++) out += String.fromCharCode(c);
  return out;
}

const DIGITS = range('0', '9');

/* error recovery */
function recoveryRows(table: Uint8Array): void {
  const recovery = rowOf(table, IN_RECOVERY);
  recovery.set(0x00, 0x1f, IN_START | LOOKAHEAD);
  recovery.set(0x20, 0xfd, IN_RECOVERY);
  recovery.set(0xfe, 0xff, IN_START | LOOKAHEAD);
  recovery.on('\t', IN_RECOVERY);
  recovery.on('[]{},:', IN_START | LOOKAHEAD);
}

/* double quote string, single quote string */
function stringRows(table: Uint8Array): void {
  for (const [escape, string, quote] of [
    [IN_DQ_STRING_ESCAPE, IN_DQ_STRING, '"'],
    [IN_SQ_STRING_ESCAPE, IN_SQ_STRING, "'"],
  ] as const) {
    rowOf(table, escape).set(0x20, 0xfd, string);
    const body = rowOf(table, string);
    body.set(0x20, 0xfd, string);
    body.on('\\', escape);
    body.on(quote, JSON_STRING);
  }
}

/* Zero, Float, Number */
function numberRows(table: Uint8Array): void {
  const zero = terminalRow(table, IN_ZERO, JSON_INTEGER);
  zero.on(DIGITS, JSON_ERROR);
  zero.on('.', IN_MANTISSA);

  terminalRow(table, IN_EXP_DIGITS, JSON_FLOAT).on(DIGITS, IN_EXP_DIGITS);
  rowOf(table, IN_EXP_SIGN).on(DIGITS, IN_EXP_DIGITS);
  const exp = rowOf(table, IN_EXP_E);
  exp.on('-+', IN_EXP_SIGN);
  exp.on(DIGITS, IN_EXP_DIGITS);

  const mantissaDigits = terminalRow(table, IN_MANTISSA_DIGITS, JSON_FLOAT);
  mantissaDigits.on(DIGITS, IN_MANTISSA_DIGITS);
  mantissaDigits.on('eE', IN_EXP_E);
  rowOf(table, IN_MANTISSA).on(DIGITS, IN_MANTISSA_DIGITS);

  const number = terminalRow(table, IN_DIGITS, JSON_INTEGER);
  number.on(DIGITS, IN_DIGITS);
  number.on('eE', IN_EXP_E);
  number.on('.', IN_MANTISSA);
  const sign = rowOf(table, IN_SIGN);
  sign.on('0', IN_ZERO);
  sign.on(range('1', '9'), IN_DIGITS);
}

/* keywords */
function keywordRows(table: Uint8Array): void {
  terminalRow(table, IN_KEYWORD, JSON_KEYWORD).on(range('a', 'z'), IN_KEYWORD);
}

/* top level rule */
function startRows(table: Uint8Array): void {
  const start = rowOf(table, IN_START);
  start.on('"', IN_DQ_STRING);
  start.on("'", IN_SQ_STRING);
  start.on('0', IN_ZERO);
  start.on(range('1', '9'), IN_DIGITS);
  start.on('-', IN_SIGN);
  start.on('{', JSON_LCURLY);
  start.on('}', JSON_RCURLY);
  start.on('[', JSON_LSQUARE);
  start.on(']', JSON_RSQUARE);
  start.on(',', JSON_COMMA);
  start.on(':', JSON_COLON);
  start.on(range('a', 'z'), IN_KEYWORD);
  start.on(' \t\r\n', IN_START);
}

/** json-lexer.c's json_lexer[][256], group by group as it lists them. */
function buildTable(): Uint8Array {
  const table = new Uint8Array(STATES * 256); // 0 = JSON_ERROR
  recoveryRows(table);
  stringRows(table);
  numberRows(table);
  keywordRows(table);
  startRows(table);
  return table;
}

const TABLE = buildTable();

/** Receives each token: its type and its bytes (valid until the call returns). */
export type TokenSink = (type: number, bytes: Uint8Array, length: number) => void;

export class JsonLexer {
  private state = IN_START;
  private token = new Uint8Array(64);
  private length = 0;

  constructor(private readonly sink: TokenSink) {}

  /**
   * Lexes `input` from `from` on, and stops early (returning where) as soon as `stop()` holds
   * after a token was handed on; returns `input.length` when all of it was taken.
   */
  feed(input: Uint8Array, from = 0, stop: () => boolean = () => false): number {
    for (let i = from; i < input.length; i++) {
      const run = this.plainRun(input, i);
      if (run > i) {
        // a run of bytes that only extends the token (or is skipped): no token can end inside it
        if (this.state !== IN_RECOVERY) this.appendRun(input, i, run);
        i = run - 1;
        if (this.length > MAX_TOKEN_SIZE) this.feedByte(-1);
        continue;
      }
      const tokensBefore = this.handed;
      this.feedByte(input[i]!);
      if (this.handed !== tokensBefore && stop()) return i + 1;
    }
    return input.length;
  }

  /** Where the run of string body bytes (or recovery-skipped bytes) starting at `from` ends. */
  private plainRun(input: Uint8Array, from: number): number {
    const state = this.state;
    if (state !== IN_DQ_STRING && state !== IN_SQ_STRING && state !== IN_RECOVERY) return from;
    const row = state * 256;
    // a token is cut off right after it passes MAX_TOKEN_SIZE
    const end = state === IN_RECOVERY ? input.length : Math.min(input.length, from + MAX_TOKEN_SIZE + 1 - this.length);
    let i = from;
    while (i < end && TABLE[row + input[i]!] === state) i++;
    return i;
  }

  private appendRun(input: Uint8Array, from: number, to: number): void {
    const needed = this.length + (to - from);
    if (needed > this.token.length) {
      const grown = new Uint8Array(Math.max(needed, this.token.length * 2));
      grown.set(this.token.subarray(0, this.length));
      this.token = grown;
    }
    this.token.set(input.subarray(from, to), this.length);
    this.length = needed;
  }

  /** Forgets a token in progress (a new client). */
  reset(): void {
    this.state = IN_START;
    this.length = 0;
    this.token = new Uint8Array(64);
  }

  private handed = 0;

  private hand(type: number): void {
    this.handed++;
    this.sink(type, this.token, this.length);
  }

  /** One byte through the automaton; -1 only checks the token's size. */
  private feedByte(byte: number): void {
    let consumed = byte < 0;
    while (!consumed) {
      const next = TABLE[this.state * 256 + byte]!;
      consumed = (next & LOOKAHEAD) === 0;
      let state = next & ~LOOKAHEAD;
      if (consumed) this.append(byte);
      if (state >= JSON_LCURLY) {
        this.hand(state);
        this.length = 0;
        state = IN_START;
      } else if (state === IN_START) {
        this.length = 0;
      } else if (state === JSON_ERROR) {
        this.hand(JSON_ERROR);
        this.length = 0;
        state = IN_RECOVERY;
      } else if (state === IN_RECOVERY) {
        this.length = 0;
      }
      this.state = state;
    }
    if (this.length > MAX_TOKEN_SIZE) {
      this.hand(JSON_OVERSIZED);
      this.length = 0;
      this.state = IN_START;
    }
  }

  private append(byte: number): void {
    if (this.length === this.token.length) {
      const grown = new Uint8Array(this.token.length * 2);
      grown.set(this.token);
      this.token = grown;
    }
    this.token[this.length++] = byte;
  }
}
