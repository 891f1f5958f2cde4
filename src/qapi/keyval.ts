/**
 * QEMU's key=value option syntax (util/keyval.c) as the command lines of qemu-storage-daemon take
 * it (`--blockdev driver=file,node-name=f0,cache.direct=on`), and its typed reading
 * (qapi/qobject-input-visitor.c in keyval mode): every value is a string, converted where the
 * schema wants a bool, a number or a size, with QEMU's texts for what does not convert. What comes
 * out is a QMP value, checked then by visit() as a QMP command's arguments are.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { Member, QapiType } from './schema.js';

export interface Keyval {
  readonly [key: string]: string | Keyval;
}

const KEY_FRAGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * keyval_parse(): `a=1,b.c=x` as nested strings; `,,` is a comma within a value; a first item
 * without `=` is the value of `implied` (`file,filename=…` for `--blockdev`). A key given twice
 * keeps its last value.
 */
export function parseKeyval(text: string, implied?: string): Keyval {
  const out: Record<string, string | Keyval> = {};
  let rest = text;
  for (let first = true; rest.length > 0; first = false) {
    const eq = rest.search(/[=,]/);
    let key: string;
    if (eq < 0 || rest[eq] === ',') {
      if (!first || implied === undefined) fail(msg.keyvalExpectedEquals(eq < 0 ? rest : rest.slice(0, eq)));
      key = implied;
    } else {
      key = rest.slice(0, eq);
      rest = rest.slice(eq + 1);
    }
    let value = '';
    for (;;) {
      const comma = rest.indexOf(',');
      if (comma < 0) {
        value += rest;
        rest = '';
        break;
      }
      value += rest.slice(0, comma);
      if (rest[comma + 1] === ',') {
        value += ',';
        rest = rest.slice(comma + 2);
        continue;
      }
      rest = rest.slice(comma + 1);
      break;
    }
    put(out, key, value);
  }
  return out;
}

function put(into: Record<string, string | Keyval>, key: string, value: string): void {
  const fragments = key.split('.');
  if (!fragments.every((f) => KEY_FRAGMENT.test(f))) fail(msg.keyvalInvalidParameter(key));
  let cur = into;
  for (const [i, fragment] of fragments.entries()) {
    const last = i === fragments.length - 1;
    const old = cur[fragment];
    if (old !== undefined && (typeof old === 'string') !== last) fail(msg.keyvalInconsistent(fragments.slice(0, i + 1).join('.')));
    if (last) cur[fragment] = value;
    else cur = (cur[fragment] ??= {}) as Record<string, string | Keyval>;
  }
}

const BOOLEANS: Readonly<Record<string, boolean>> = { on: true, yes: true, true: true, y: true, off: false, no: false, false: false, n: false };

/** A scalar's string as the type it should be; QEMU's text when it is not one. */
function scalar(text: string, type: QapiType, name: string): unknown {
  switch (type.kind) {
    case 'bool':
      if (!Object.hasOwn(BOOLEANS, text)) fail(msg.keyvalExpectsBool(name));
      return BOOLEANS[text];
    case 'int':
    case 'uint64':
    case 'uint32': {
      if (!/^[+-]?(0x[0-9a-fA-F]+|\d+)$/.test(text)) fail(msg.keyvalExpectsInteger(name));
      const value = BigInt(text.replace(/^\+/, ''));
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    }
    case 'size': {
      // qemu_strtosz(): a number and a unit of bytes, KiB, … EiB
      const m = /^(\d+(?:\.\d+)?)([bBkKmMgGtTpPeE]?)$/.exec(text);
      if (!m) fail(msg.keyvalExpectsSize(name));
      return Math.round(Number(m[1]) * 1024 ** 'BKMGTPE'.indexOf((m[2] || 'B').toUpperCase()));
    }
    case 'number':
      if (!Number.isFinite(Number(text)) || text.trim() === '') fail(msg.keyvalExpectsNumber(name));
      return Number(text);
    default:
      return text;
  }
}

/** The members a dict of this type may have (a union's base and the variant its discriminator names). */
function membersOf(type: QapiType, value: Keyval): readonly Member[] | undefined {
  if (type.kind === 'struct') return type.members;
  if (type.kind !== 'union') return undefined;
  const tag = value[type.discriminator];
  return [...type.base, ...(typeof tag === 'string' ? (type.variants[tag] ?? []) : [])];
}

/**
 * keyval's typed reading: strings become what the schema wants where it wants a scalar; dicts are
 * read member by member; what the schema does not name is left as it is (visit() says so).
 */
export function keyvalToQmp(value: string | Keyval, type: QapiType, name = ''): unknown {
  if (type.kind === 'alternate') {
    const branch = typeof value === 'string' ? type.string : type.object;
    return branch ? keyvalToQmp(value, branch, name) : value;
  }
  if (typeof value === 'string') return scalar(value, type, name);
  const members = membersOf(type, value);
  if (!members) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const member = members.find((m) => m.name === key);
    out[key] = member ? keyvalToQmp(item, member.type, name ? `${name}.${key}` : key) : item;
  }
  return out;
}
