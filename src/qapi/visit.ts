/**
 * Checks a QMP value against a QAPI type with QEMU's error texts and full names
 * (`options[0].file`). Returns nothing: the value is used as it is once it passed.
 */
import { fail } from '../core/errors.js';
import { msg } from '../core/messages.js';
import type { Member, QapiType } from './schema.js';

type Path = readonly (string | number)[];

/** full_name(): `a.b[2].c`, or the bare name at the top. */
function fullName(path: Path): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${part}` : part;
  }, '');
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value's path: its parent's and, when it is a member or an element, its own name. */
const at = (parent: Path, name: string | number | undefined): Path => (name === undefined ? parent : [...parent, name]);

function visitMembers(value: Record<string, unknown>, members: readonly Member[], path: Path): void {
  for (const member of members) {
    if (!(member.name in value)) {
      if (!member.optional) fail(msg.missingParameter(fullName([...path, member.name])));
      continue;
    }
    check(value[member.name], member.type, path, member.name);
  }
}

const memberNames = new WeakMap<readonly Member[], ReadonlySet<string>>();

/** The names of a member list (worked out once per list). */
function namesOf(members: readonly Member[]): ReadonlySet<string> {
  let names = memberNames.get(members);
  if (!names) memberNames.set(members, (names = new Set(members.map((m) => m.name))));
  return names;
}

function checkUnexpected(value: Record<string, unknown>, path: Path, members: readonly Member[], variant?: readonly Member[]): void {
  const names = namesOf(members);
  const more = variant ? namesOf(variant) : undefined;
  for (const key of Object.keys(value)) {
    if (!names.has(key) && !more?.has(key)) fail(msg.unexpectedParameter(fullName([...path, key])));
  }
}

/** The member's own name, as enum and alternate errors give it; list elements are 'null'. */
function leafName(name: string | number | undefined, parent: Path): string {
  const last = name ?? parent.at(-1);
  return typeof last === 'string' ? last : 'null';
}

export function visit(value: unknown, type: QapiType, path: Path = []): void {
  check(value, type, path, undefined);
}

/**
 * visit() of a value at `parent` + `name`; the path is put together only for an error or to go
 * deeper (most values are scalars that pass).
 */
function check(value: unknown, type: QapiType, parent: Path, name: string | number | undefined): void {
  switch (type.kind) {
    case 'any':
      return;
    case 'null':
      if (value !== null) fail(msg.invalidParameterType(fullName(at(parent, name)), 'null'));
      return;
    case 'str':
      if (typeof value !== 'string') fail(msg.invalidParameterType(fullName(at(parent, name)), 'string'));
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail(msg.invalidParameterType(fullName(at(parent, name)), 'boolean'));
      return;
    case 'number':
      if (typeof value !== 'number') fail(msg.invalidParameterType(fullName(at(parent, name)), 'number'));
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(msg.invalidParameterType(fullName(at(parent, name)), 'integer'));
      return;
    case 'uint64':
    case 'size':
      // qobject_input_type_uint64() / _size() both say uint64
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(`Parameter '${fullName(at(parent, name))}' expects uint64`);
      return;
    case 'uint32':
      // visit_type_uint32() range check
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(`Parameter '${fullName(at(parent, name))}' expects uint64`);
      if (value < 0 || value > 0xffffffff) fail(`Parameter '${fullName(at(parent, name))}' expects uint32_t`);
      return;
    case 'enum':
      if (typeof value !== 'string') fail(msg.invalidParameterType(fullName(at(parent, name)), 'string'));
      if (!type.values.includes(value)) fail(msg.invalidEnumValue(leafName(name, parent), value));
      return;
    case 'list': {
      const path = at(parent, name);
      if (!Array.isArray(value)) fail(msg.invalidParameterType(fullName(path), 'array'));
      value.forEach((item, i) => check(item, type.of, path, i));
      return;
    }
    case 'struct': {
      const path = at(parent, name);
      if (!isObject(value)) fail(msg.invalidParameterType(fullName(path), 'object'));
      visitMembers(value, type.members, path);
      checkUnexpected(value, path, type.members);
      return;
    }
    case 'union': {
      const path = at(parent, name);
      if (!isObject(value)) fail(msg.invalidParameterType(fullName(path), 'object'));
      visitMembers(value, type.base, path);
      const tag = value[type.discriminator];
      const variant = typeof tag === 'string' ? type.variants[tag] : undefined;
      if (variant) visitMembers(value, variant, path);
      checkUnexpected(value, path, type.base, variant);
      return;
    }
    case 'alternate': {
      const branch =
        typeof value === 'string' ? type.string
        : isObject(value) ? type.object
        : typeof value === 'boolean' ? type.bool
        : typeof value === 'number' ? type.number
        : value === null && type.null ? ({ kind: 'null' } as const)
        : undefined;
      if (!branch) fail(msg.invalidParameterType(leafName(name, parent), type.name));
      check(value, branch, parent, name);
      return;
    }
  }
}
