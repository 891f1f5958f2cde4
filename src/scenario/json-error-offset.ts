/**
 * Where JSON text first goes wrong (JSON.parse does not always say): a scan of it without
 * recursion, run only on a failed parse.
 */

/** What the scan looks for next. */
type Expect = 'value' | 'first value' | 'key' | 'first key' | 'after';

/** The offset of the first character that cannot continue the JSON text, or -1. */
export function jsonErrorOffset(text: string): number {
  return new JsonScan(text).errorOffset();
}

/** A scan through JSON text, one step at a time; a step gives the offset it stopped at, or undefined to go on. */
class JsonScan {
  private i = 0;
  /** The opening brackets of the lists and maps it is inside. */
  private readonly open: string[] = [];
  private expect: Expect = 'value';

  constructor(private readonly text: string) {}

  errorOffset(): number {
    for (;;) {
      this.space();
      const stop = this.expect === 'value' || this.expect === 'first value' ? this.value() : this.expect === 'key' || this.expect === 'first key' ? this.key() : this.after();
      if (stop !== undefined) return stop;
    }
  }

  /** A value: a list or map opened, a scalar, or (first in a list) the end of an empty list. */
  private value(): number | undefined {
    const text = this.text;
    if (this.expect === 'first value' && text[this.i] === ']') {
      this.open.pop();
      this.i++;
      this.expect = 'after';
    } else if (text[this.i] === '[' || text[this.i] === '{') {
      this.open.push(text[this.i]!);
      this.expect = text[this.i++] === '[' ? 'first value' : 'first key';
    } else if (this.scalar()) this.expect = 'after';
    else return this.i;
    return undefined;
  }

  /** A key and its colon, or (first in a map) the end of an empty map. */
  private key(): number | undefined {
    const text = this.text;
    if (this.expect === 'first key' && text[this.i] === '}') {
      this.open.pop();
      this.i++;
      this.expect = 'after';
      return undefined;
    }
    if (!this.string()) return this.i;
    this.space();
    if (text[this.i] !== ':') return this.i;
    this.i++;
    this.expect = 'value';
    return undefined;
  }

  /** After a value: a comma, the end of the list or map it is in, or the end of the text. */
  private after(): number | undefined {
    const text = this.text;
    const top = this.open[this.open.length - 1];
    if (top === undefined) return this.i < text.length ? this.i : -1;
    if (text[this.i] === ',') {
      this.i++;
      this.expect = top === '[' ? 'value' : 'key';
    } else if (text[this.i] === (top === '[' ? ']' : '}')) {
      this.open.pop();
      this.i++;
    } else return this.i;
    return undefined;
  }

  private space(): void {
    const text = this.text;
    while (this.i < text.length && (text[this.i] === ' ' || text[this.i] === '\t' || text[this.i] === '\n' || text[this.i] === '\r')) this.i++;
  }

  private string(): boolean {
    const text = this.text;
    if (text[this.i] !== '"') return false;
    for (this.i++; this.i < text.length && text[this.i] !== '"'; this.i++) {
      if (text.charCodeAt(this.i) < 0x20) return false;
      if (text[this.i] === '\\') {
        const escaped = text[++this.i] ?? '';
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 1, this.i + 5))) return false;
          this.i += 4;
        } else if (!'"\\/bfnrt'.includes(escaped) || escaped === '') return false;
      }
    }
    if (this.i >= text.length) return false;
    this.i++;
    return true;
  }

  private scalar(): boolean {
    if (this.string()) return true;
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.i, this.i + 400));
    if (!m) return false;
    this.i += m[0].length;
    return true;
  }
}
