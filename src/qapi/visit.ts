/**
 * Checks a QMP value against a QAPI type with QEMU's error texts and full names
 * (`options[0].file`), and returns it as the handlers take it: numbers of the wire's exact kinds
 * (bigint, QFloat; see util/qobject.ts) as JavaScript numbers. A value that needs no conversion
 * comes back as the same object.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { isQDict, plainValue, QFloat, qnumDouble, qnumInt, qnumUint } from '../util/qobject.js';
import type { Member, QapiType } from './schema.js';
import { firstUnvisited } from './unvisited.js';

type Path = readonly (string | number)[];

/** full_name(): `a.b[2].c`, or the bare name at the top. */
function fullName(path: Path): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${part}` : part;
  }, '');
}

const isObject = isQDict;

/** A value's path: its parent's and, when it is a member or an element, its own name. */
const at = (parent: Path, name: string | number | undefined): Path => (name === undefined ? parent : [...parent, name]);

/** Visits the members; returns `value`, or a copy where a member's value was converted. */
function visitMembers(value: Record<string, unknown>, members: readonly Member[], path: Path): Record<string, unknown> {
  let out = value;
  for (const member of members) {
    if (!Object.hasOwn(value, member.name)) {
      if (!member.optional) fail(msg.missingParameter(fullName([...path, member.name])));
      continue;
    }
    const checked = check(value[member.name], member.type, path, member.name);
    if (checked !== value[member.name]) {
      if (out === value) out = { ...value };
      out[member.name] = checked;
    }
  }
  return out;
}

const memberNames = new WeakMap<readonly Member[], ReadonlySet<string>>();

/** The names of a member list (worked out once per list). */
function namesOf(members: readonly Member[]): ReadonlySet<string> {
  let names = memberNames.get(members);
  if (!names) memberNames.set(members, (names = new Set(members.map((m) => m.name))));
  return names;
}

/** visit_check_struct(): a member the type does not have is refused (when several, the one QEMU names). */
function checkUnexpected(value: Record<string, unknown>, path: Path, members: readonly Member[], variant?: readonly Member[]): void {
  const names = namesOf(members);
  const more = variant ? namesOf(variant) : undefined;
  let unexpected = 0;
  let first = '';
  for (const key of Object.keys(value)) {
    if (names.has(key) || more?.has(key)) continue;
    if (unexpected++ === 0) first = key;
  }
  if (unexpected === 0) return;
  const named = unexpected === 1 ? first : (firstUnvisited(value, variant ? [members, variant] : [members]) ?? first);
  fail(msg.unexpectedParameter(fullName([...path, named])));
}

/** The member's own name, as enum and alternate errors give it; list elements are 'null'. */
function leafName(name: string | number | undefined, parent: Path): string {
  const last = name ?? parent.at(-1);
  return typeof last === 'string' ? last : 'null';
}

export function visit(value: unknown, type: QapiType, path: Path = []): unknown {
  return check(value, type, path, undefined);
}

/** uint64 as QEMU reads it: an unsigned value, or a negative int64 taken modulo 2^64. */
function uint64Of(value: unknown): bigint | undefined {
  const unsigned = qnumUint(value);
  if (unsigned !== undefined) return unsigned;
  const signed = qnumInt(value);
  return signed === undefined ? undefined : 2n ** 64n + signed;
}

/** An integer as the handler takes it: exact (a bigint beyond doubles' integers) or a number. */
const integer = (value: bigint, exact: boolean | undefined): number | bigint =>
  exact && !Number.isSafeInteger(Number(value)) ? value : Number(value);

type Compound = Extract<QapiType, { readonly kind: 'list' | 'struct' | 'union' | 'alternate' }>;
type Scalar = Exclude<QapiType, Compound>;

const isCompound = (type: QapiType): type is Compound =>
  type.kind === 'list' || type.kind === 'struct' || type.kind === 'union' || type.kind === 'alternate';

/**
 * visit() of a value at `parent` + `name`; the path is put together only for an error or to go
 * deeper (most values are scalars that pass).
 */
function check(value: unknown, type: QapiType, parent: Path, name: string | number | undefined): unknown {
  return isCompound(type) ? checkCompound(value, type, parent, name) : checkScalar(value, type, parent, name);
}

/** qobject_input_type_*() of one scalar. */
function checkScalar(value: unknown, type: Scalar, parent: Path, name: string | number | undefined): unknown {
  switch (type.kind) {
    case 'any':
      return typeof value === 'object' && value !== null ? plainValue(value) : value;
    case 'null':
      if (value !== null) fail(msg.invalidParameterType(fullName(at(parent, name)), 'null'));
      return value;
    case 'str':
      if (typeof value !== 'string') fail(msg.invalidParameterType(fullName(at(parent, name)), 'string'));
      return value;
    case 'bool':
      if (typeof value !== 'boolean') fail(msg.invalidParameterType(fullName(at(parent, name)), 'boolean'));
      return value;
    case 'number': {
      const double = qnumDouble(value);
      if (double === undefined) fail(msg.invalidParameterType(fullName(at(parent, name)), 'number'));
      return double;
    }
    case 'int': {
      // qobject_input_type_int64(): an int64, never a double
      const int64 = qnumInt(value);
      if (int64 === undefined) fail(msg.invalidParameterType(fullName(at(parent, name)), 'integer'));
      if (type.bits && (int64 < -(2n ** BigInt(type.bits - 1)) || int64 >= 2n ** BigInt(type.bits - 1))) {
        fail(msg.expectsIntType(leafName(name, parent), `int${type.bits}_t`));
      }
      return typeof value === 'number' ? value : integer(int64, type.exact);
    }
    case 'uint64':
    case 'size': {
      // qobject_input_type_uint64() serves size too; both say uint64
      const unsigned = uint64Of(value);
      if (unsigned === undefined) fail(msg.expectsUint64(fullName(at(parent, name))));
      return typeof value === 'number' && value >= 0 ? value : integer(unsigned, type.kind === 'uint64' && type.exact);
    }
    case 'uint32': {
      // visit_type_uint32(): uint64, then a range check
      const unsigned = uint64Of(value);
      if (unsigned === undefined) fail(msg.expectsUint64(fullName(at(parent, name))));
      // visit_type_uintN() names the member alone, not its full name
      if (type.bits && unsigned >= 2n ** BigInt(type.bits)) fail(msg.expectsIntType(leafName(name, parent), `uint${type.bits}_t`));
      if (unsigned > 0xffffffffn) fail(msg.expectsUint32(leafName(name, parent)));
      return Number(unsigned);
    }
    case 'enum':
      if (typeof value !== 'string') fail(msg.invalidParameterType(fullName(at(parent, name)), 'string'));
      if (!type.values.includes(value)) fail(msg.invalidEnumValue(leafName(name, parent), value));
      return value;
  }
}

/** A list, struct, union or alternate: its parts visited in QEMU's order. */
function checkCompound(value: unknown, type: Compound, parent: Path, name: string | number | undefined): unknown {
  switch (type.kind) {
    case 'list': {
      const path = at(parent, name);
      if (!Array.isArray(value)) fail(msg.invalidParameterType(fullName(path), 'array'));
      return checkItems(value, type.of, path);
    }
    case 'struct': {
      const path = at(parent, name);
      if (!isObject(value)) fail(msg.invalidParameterType(fullName(path), 'object'));
      const out = visitMembers(value, type.members, path);
      checkUnexpected(value, path, type.members);
      return out;
    }
    case 'union': {
      const path = at(parent, name);
      if (!isObject(value)) fail(msg.invalidParameterType(fullName(path), 'object'));
      let out = visitMembers(value, type.base, path);
      const tag = value[type.discriminator];
      const variant = typeof tag === 'string' && Object.hasOwn(type.variants, tag) ? type.variants[tag] : undefined;
      if (variant) out = visitMembers(out, variant, path);
      checkUnexpected(value, path, type.base, variant);
      return out;
    }
    case 'alternate': {
      const branch =
        typeof value === 'string' ? type.string
        : isObject(value) ? type.object
        : typeof value === 'boolean' ? type.bool
        : typeof value === 'number' || typeof value === 'bigint' || value instanceof QFloat ? type.number
        : value === null && type.null ? ({ kind: 'null' } as const)
        : undefined;
      if (!branch) fail(msg.invalidParameterType(leafName(name, parent), type.name));
      return check(value, branch, parent, name);
    }
  }
}

/** The items of a list; the list itself when no item changed. */
function checkItems(value: readonly unknown[], of: QapiType, path: Path): unknown[] {
  let out = value as unknown[];
  value.forEach((item, i) => {
    const checked = check(item, of, path, i);
    if (checked !== item) {
      if (out === value) out = [...value];
      out[i] = checked;
    }
  });
  return out;
}
