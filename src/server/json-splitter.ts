/**
 * Splits a QMP byte stream into JSON values the way QEMU's json-streamer does: braces and
 * brackets are counted across lines (outside strings), a value ends when they balance, and an
 * error resets the stream so the connection stays usable. Limits are QEMU's (json-streamer.c).
 */
export const MAX_TOKEN_SIZE = 64 * 1024 * 1024;
export const MAX_NESTING = 1024;

export type Piece = { readonly value: unknown } | { readonly error: string };

const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** `/\s/` on one UTF-16 unit, without the regular expression for ASCII. */
function isSpace(chunk: string, at: number, code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return /\s/.test(chunk[at]!);
}

export class JsonSplitter {
  private text = '';
  private depth = 0;
  /** The quote that opened the string being read ('"', or QEMU's "'"), or null. */
  private quote: number | null = null;
  private escaped = false;
  private started = false;

  /** Feeds more input; returns the values (or parse errors) it completed. */
  push(chunk: string): Piece[] {
    const out: Piece[] = [];
    // chunk[from, i] is the part of the current value not yet appended to `text`
    let from = 0;
    const complete = (at: number, piece: () => Piece): void => {
      this.text += chunk.slice(from, at + 1);
      from = at + 1;
      out.push(piece());
    };
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (!this.started) {
        if (isSpace(chunk, i, code)) {
          from = i + 1;
          continue;
        }
        this.started = true;
      }
      if (this.quote !== null) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === this.quote) this.quote = null;
      } else if (code === QUOTE || code === APOSTROPHE) {
        this.quote = code;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        this.depth++;
        if (this.depth > MAX_NESTING) complete(i, () => this.fail('JSON nesting depth limit exceeded'));
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) complete(i, () => this.fail('JSON parse error, expecting value'));
        else if (this.depth === 0) complete(i, () => this.emit());
      } else if (this.depth === 0 && isSpace(chunk, i, code)) {
        complete(i, () => this.emit());
      }
      if (this.text.length + (i + 1 - from) > MAX_TOKEN_SIZE) complete(i, () => this.fail('JSON token size limit exceeded'));
    }
    if (this.started) this.text += chunk.slice(from);
    return out;
  }

  private emit(): Piece {
    const text = this.text;
    this.reset();
    try {
      return { value: JSON.parse(doubleQuoted(text)) };
    } catch {
      return { error: `JSON parse error, ${parseErrorDetail(text)}` };
    }
  }

  private fail(error: string): Piece {
    this.reset();
    return { error };
  }

  private reset(): void {
    this.text = '';
    this.depth = 0;
    this.quote = null;
    this.escaped = false;
    this.started = false;
  }
}

/** QEMU's JSON parser also takes 'single-quoted' strings: rewrite them for JSON.parse. */
function doubleQuoted(text: string): string {
  if (!text.includes("'")) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      let body = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== ch; j++) {
        if (text[j] === '\\') body += text[j++]! + (text[j] ?? '');
        else body += text[j];
      }
      const unescaped = ch === "'" ? body.replaceAll("\\'", "'").replaceAll('"', '\\"') : body;
      out += `"${unescaped}"`;
      i = j;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * The detail QEMU's json-parser gives for the mistakes seen from qemu-storage-daemon 7.2: a word
 * that is no keyword, an object key without its colon; any other mistake reads "expecting value".
 */
function parseErrorDetail(text: string): string {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{}[\]:,]|[A-Za-z_]+|-?\d[\d.eE+-]*|\S/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (/^[A-Za-z_]+$/.test(token) && !['true', 'false', 'null'].includes(token)) return `invalid keyword '${token}'`;
    const opensPair = tokens[i - 1] === '{' || tokens[i - 1] === ',';
    if (/^["']/.test(token) && opensPair && tokens[i + 1] !== undefined && tokens[i + 1] !== ':' && inObject(tokens, i)) {
      return 'missing : in object pair';
    }
  }
  return 'expecting value';
}

/** Whether token `at` stands directly inside an object (not an array). */
function inObject(tokens: readonly string[], at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t === '}' || t === ']') depth++;
    else if (t === '{' || t === '[') {
      if (depth === 0) return t === '{';
      depth--;
    }
  }
  return false;
}
