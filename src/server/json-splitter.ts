/**
 * Splits a QMP byte stream into JSON values the way QEMU's json-streamer does: braces and
 * brackets are counted across lines (outside strings), a value ends when they balance, and an
 * error resets the stream so the connection stays usable. Limits are QEMU's (json-streamer.c).
 */
export const MAX_TOKEN_SIZE = 64 * 1024 * 1024;
export const MAX_NESTING = 1024;

export type Piece = { readonly value: unknown } | { readonly error: string };

export class JsonSplitter {
  private text = '';
  private depth = 0;
  /** The quote that opened the string being read ('"', or QEMU's "'"), or null. */
  private quote: string | null = null;
  private escaped = false;
  private started = false;

  /** Feeds more input; returns the values (or parse errors) it completed. */
  push(chunk: string): Piece[] {
    const out: Piece[] = [];
    for (const ch of chunk) {
      if (!this.started) {
        if (/\s/.test(ch)) continue;
        this.started = true;
      }
      this.text += ch;
      if (this.quote) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === this.quote) this.quote = null;
      } else if (ch === '"' || ch === "'") {
        this.quote = ch;
      } else if (ch === '{' || ch === '[') {
        this.depth++;
        if (this.depth > MAX_NESTING) out.push(this.fail('JSON nesting depth limit exceeded'));
      } else if (ch === '}' || ch === ']') {
        this.depth--;
        if (this.depth < 0) out.push(this.fail('JSON parse error, expecting value'));
        else if (this.depth === 0) out.push(this.emit());
      } else if (this.depth === 0 && /\s/.test(ch)) {
        out.push(this.emit());
      }
      if (this.text.length > MAX_TOKEN_SIZE) out.push(this.fail('JSON token size limit exceeded'));
    }
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
