/**
 * JSON as QEMU writes it (qobject/qjson.c to_json()): `{"key": value, "other": [1, 2]}`, an
 * object's members in the order its QDict lists them (qdictKeys()), strings with every character
 * outside printable ASCII as `\uXXXX` (upper-case hex, surrogate pairs beyond the BMP, U+FFFD for
 * what is no valid character), doubles as `%.17g`, 64-bit integers exact.
 */
import { QFloat, qdictKeys } from './qobject.js';

export function qjson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(qjson).join(', ')}]`;
  if (value instanceof QFloat) return formatDouble(value.value);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${qdictKeys(record)
      .filter((key) => record[key] !== undefined)
      .map((key) => `${quoted(key)}: ${qjson(record[key])}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'bigint') return value.toString();
  // the simulator's own numbers are integers (QEMU's int64 members); a fraction prints as a double
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : formatDouble(value);
  return JSON.stringify(value) ?? 'null';
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

const hex4 = (unit: number): string => `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/** A code point QEMU keeps (util/unicode.c is_valid_codepoint()): no surrogate, no noncharacter. */
export function isValidCodepoint(cp: number): boolean {
  if (cp > 0x10ffff) return false;
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false;
  return !(cp >= 0xd800 && cp <= 0xdfff);
}

function quoted(text: string): string {
  // the common case: printable ASCII only
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    const short = SHORT_ESCAPES[cp];
    if (short) {
      out += short;
      continue;
    }
    if (!isValidCodepoint(cp)) cp = 0xfffd;
    if (cp > 0xffff) out += hex4(0xd800 + ((cp - 0x10000) >> 10)) + hex4(0xdc00 + ((cp - 0x10000) & 0x3ff));
    else if (cp < 0x20 || cp >= 0x7f) out += hex4(cp);
    else out += String.fromCharCode(cp);
  }
  return `${out}"`;
}

/** C's `%.17g`, as qnum_to_string() prints a double. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return value < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential(16).split('e') as [string, string];
  const exponent = Number(exponentText);
  const trim = (digits: string): string => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (exponent < -4 || exponent >= 17) {
    const sign = exponent < 0 ? '-' : '+';
    return `${trim(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(value.toFixed(16 - exponent));
}
