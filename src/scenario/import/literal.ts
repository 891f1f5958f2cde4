/**
 * Values as transcripts write them: JSON; QEMU's JSON, which also takes 'single-quoted' strings;
 * and, with `python`, the Python literals qmp-shell prints and reads (True/False/None, tuples,
 * u'' strings, and JSON's true/false/null as its FuzzyJSON allows). Objects are built with every
 * key an own property (a `__proto__` key is data), and nesting is bounded as QEMU bounds it.
 */
const MAX_DEPTH = 1024;

export interface LiteralOptions {
  readonly python?: boolean;
}

export class LiteralError extends Error {
  constructor(
    message: string,
    /** Where in the text. */
    readonly at: number,
    /** The text ended inside the value: more lines may complete it. */
    readonly incomplete: boolean,
  ) {
    super(message);
  }
}

const WORDS: Readonly<Record<string, unknown>> = { true: true, false: false, null: null };
const PYTHON_WORDS: Readonly<Record<string, unknown>> = { ...WORDS, True: true, False: false, None: null };
const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', a: '\x07', '0': '\0' };
const NUMBER = /[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_]\w*/y;

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class Reader {
  pos: number;
  private depth = 0;

  constructor(
    private readonly text: string,
    start: number,
    private readonly python: boolean,
  ) {
    this.pos = start;
  }

  fail(message: string, at = this.pos): never {
    const ended = at >= this.text.length;
    throw new LiteralError(ended ? 'the text ends inside the value' : message, at, ended);
  }

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  value(): unknown {
    this.skip();
    const c = this.text[this.pos];
    if (c === undefined) return this.fail('a value was expected');
    if (c === '{') return this.nested(() => this.object());
    if (c === '[' || (c === '(' && this.python)) return this.nested(() => this.array(c === '[' ? ']' : ')'));
    if (c === '"' || c === "'") return this.string();
    if (this.python && (c === 'u' || c === 'b') && /["']/.test(this.text[this.pos + 1] ?? '')) {
      this.pos++;
      return this.string();
    }
    return this.scalar();
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const value = read();
    this.depth--;
    return value;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    for (let first = true; ; first = false) {
      this.skip();
      if (this.text[this.pos] === '}') break;
      if (!first) this.expect(',');
      this.skip();
      if (this.text[this.pos] === '}' && this.python) break;
      const key = this.value();
      if (typeof key !== 'string') this.fail('an object key must be a string');
      this.skip();
      this.expect(':');
      setOwn(out, key, this.value());
    }
    this.pos++;
    return out;
  }

  private array(close: string): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    for (let first = true; ; first = false) {
      this.skip();
      if (this.text[this.pos] === close) break;
      if (!first) this.expect(',');
      this.skip();
      if (this.text[this.pos] === close && this.python) break;
      out.push(this.value());
    }
    this.pos++;
    return out;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail(this.pos >= this.text.length ? 'the value ends too early' : `'${c}' was expected`);
    this.pos++;
  }

  private string(): string {
    const quote = this.text[this.pos]!;
    let out = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === quote) {
        this.pos = i + 1;
        return out;
      }
      if (c === '\n') this.fail('a string runs past the end of its line', i);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const [text, length] = this.escape(i);
      out += text;
      i += length - 1;
    }
    return this.fail('a string is not closed', this.text.length);
  }

  /** The escape at `at` (a backslash): its text and its length. */
  private escape(at: number): [string, number] {
    const c = this.text[at + 1];
    if (c === undefined) return this.fail('a string is not closed', this.text.length);
    const hex = (n: number): [string, number] => {
      const digits = this.text.slice(at + 2, at + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) this.fail('a bad \\x, \\u or \\U escape', at);
      return [String.fromCodePoint(parseInt(digits, 16)), n + 2];
    };
    if (c === 'u') return hex(4);
    if (this.python && c === 'x') return hex(2);
    if (this.python && c === 'U') return hex(8);
    return [ESCAPES[c] ?? c, 2];
  }

  private scalar(): unknown {
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number && !/[\w.]/.test(this.text[this.pos + number[0].length] ?? '')) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[0];
    const words = this.python ? PYTHON_WORDS : WORDS;
    if (word !== undefined && Object.hasOwn(words, word)) {
      this.pos += word.length;
      return words[word];
    }
    return this.fail(`unexpected '${this.text.slice(this.pos, this.pos + 12).split('\n')[0]}'`);
  }
}

/** The value that starts at `start` (blanks skipped), and where it ends. */
export function readLiteral(text: string, start: number, options: LiteralOptions = {}): { value: unknown; end: number } {
  const reader = new Reader(text, start, options.python === true);
  const value = reader.value();
  return { value, end: reader.pos };
}

/** The whole text as one value: anything after it is an error. */
export function parseLiteral(text: string, options: LiteralOptions = {}): unknown {
  const { value, end } = readLiteral(text, 0, options);
  if (text.slice(end).trim() !== '') throw new LiteralError(`unexpected text after the value: '${text.slice(end).trim().slice(0, 12)}'`, end, false);
  return value;
}

/**
 * Whether text fed line by line has closed every bracket it opened, strings considered: the
 * moment to read a value that spans lines.
 */
export class Balance {
  private depth = 0;
  private quote: string | null = null;
  private escaped = false;

  feed(line: string): void {
    for (const c of line) {
      if (this.quote) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === this.quote) this.quote = null;
      } else if (c === '"' || c === "'") this.quote = c;
      else if (c === '{' || c === '[' || c === '(') this.depth++;
      else if (c === '}' || c === ']' || c === ')') this.depth--;
    }
  }

  get closed(): boolean {
    return this.depth <= 0 && this.quote === null;
  }
}
