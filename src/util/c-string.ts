/**
 * C strings as QEMU's JSON reader and writer see them: util/unicode.c's modified UTF-8 (U+0000 as
 * C0 80), a string's bytes up to its NUL, and GLib's base64 (g_base64_decode(), lenient, and
 * g_base64_encode()) behind QEMU's qbase64_decode() check.
 */
import { isValidCodepoint } from './qjson.js';

/** util/unicode.c mod_utf8_codepoint(): the code point at `at` (-1 if invalid) and where the next starts. */
export function modUtf8Codepoint(bytes: Uint8Array, at: number, end: number): { cp: number; next: number } {
  const MIN_CP = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];
  let p = at;
  let byte = bytes[p++]!;
  if (byte < 0x80) return { cp: byte, next: p };
  if (byte >= 0xfe || (byte & 0x40) === 0) return { cp: -1, next: p };
  let len = 0;
  let mask = 0x80;
  for (; byte & mask; mask >>= 1) len++;
  let cp = byte & (mask - 1);
  for (let i = 1; i < len; i++) {
    byte = p < end ? bytes[p]! : 0;
    if ((byte & 0xc0) !== 0x80) return { cp: -1, next: p };
    p++;
    cp = cp * 64 + (byte & 0x3f);
  }
  if (!isValidCodepoint(cp)) return { cp: -1, next: p };
  if (cp < MIN_CP[len - 2]! && !(cp === 0 && len === 2)) return { cp: -1, next: p };
  return { cp, next: p };
}

/** Code points to a string, in slices (String.fromCodePoint takes only so many arguments). */
export function fromCodePoints(points: number[]): string {
  let out = '';
  for (let i = 0; i < points.length; i += 8192) out += String.fromCodePoint(...points.slice(i, i + 8192));
  return out;
}

/** Bytes as a C string shows them in an error message: up to a NUL, invalid sequences as U+FFFD. */
export function strayText(bytes: Uint8Array, length: number): string {
  const nul = bytes.subarray(0, length).indexOf(0);
  const end = nul < 0 ? length : nul;
  const points: number[] = [];
  for (let at = 0; at < end; ) {
    const { cp, next } = modUtf8Codepoint(bytes, at, end);
    points.push(cp < 0 ? 0xfffd : cp);
    at = next;
  }
  return fromCodePoints(points);
}


/** A QMP string as QEMU holds it: UTF-8 bytes, U+0000 as C0 80 (json-parser.c's mod_utf8_encode()). */
export function cStringBytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0) out.push(0xc0, 0x80);
    else if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** util/base64.c base64_valid_chars: what qbase64_decode() lets through to GLib. */
export const isBase64Text = (text: string): boolean => /^[A-Za-z0-9+/=\n]*$/.test(text);

/**
 * g_base64_decode() (g_base64_decode_step()): characters of no rank skipped, each group of four
 * gives three bytes less one for each `=` among its last two, an unfinished group is dropped.
 */
export function glibBase64Decode(text: string): number[] {
  const out: number[] = [];
  let v = 0;
  let i = 0;
  let last0 = 0;
  let last1 = 0;
  for (const ch of text) {
    const rank = ch === '=' ? 0 : BASE64.indexOf(ch);
    if (rank < 0) continue;
    last1 = last0;
    last0 = ch.charCodeAt(0);
    v = ((v << 6) | rank) >>> 0;
    if (++i < 4) continue;
    out.push((v >>> 16) & 0xff);
    if (last1 !== 0x3d) out.push((v >>> 8) & 0xff);
    if (last0 !== 0x3d) out.push(v & 0xff);
    i = 0;
  }
  return out;
}

/** g_base64_encode(): padded, no line breaks. */
export function base64Encode(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const v = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64[(v >> 18) & 63]! + BASE64[(v >> 12) & 63]! + (b === undefined ? '=' : BASE64[(v >> 6) & 63]!) + (c === undefined ? '=' : BASE64[v & 63]!);
  }
  return out;
}
