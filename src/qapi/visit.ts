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

function visitMembers(value: Record<string, unknown>, members: readonly Member[], path: Path, visited: Set<string>): void {
  for (const member of members) {
    visited.add(member.name);
    if (!(member.name in value)) {
      if (!member.optional) fail(msg.missingParameter(fullName([...path, member.name])));
      continue;
    }
    visit(value[member.name], member.type, [...path, member.name]);
  }
}

function checkUnexpected(value: Record<string, unknown>, visited: Set<string>, path: Path): void {
  for (const key of Object.keys(value)) {
    if (!visited.has(key)) fail(msg.unexpectedParameter(fullName([...path, key])));
  }
}

/** The member's own name, as enum and alternate errors give it; list elements are 'null'. */
function leafName(path: Path): string {
  const last = path.at(-1);
  return typeof last === 'string' ? last : 'null';
}

export function visit(value: unknown, type: QapiType, path: Path = []): void {
  // names are worked out only for an error: most values pass
  switch (type.kind) {
    case 'any':
      return;
    case 'null':
      if (value !== null) fail(msg.invalidParameterType(fullName(path), 'null'));
      return;
    case 'str':
      if (typeof value !== 'string') fail(msg.invalidParameterType(fullName(path), 'string'));
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail(msg.invalidParameterType(fullName(path), 'boolean'));
      return;
    case 'number':
      if (typeof value !== 'number') fail(msg.invalidParameterType(fullName(path), 'number'));
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(msg.invalidParameterType(fullName(path), 'integer'));
      return;
    case 'uint64':
    case 'size':
      // qobject_input_type_uint64() / _size() both say uint64
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(`Parameter '${fullName(path)}' expects uint64`);
      return;
    case 'uint32':
      // visit_type_uint32() range check
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(`Parameter '${fullName(path)}' expects uint64`);
      if (value < 0 || value > 0xffffffff) fail(`Parameter '${fullName(path)}' expects uint32_t`);
      return;
    case 'enum':
      if (typeof value !== 'string') fail(msg.invalidParameterType(fullName(path), 'string'));
      if (!type.values.includes(value)) fail(msg.invalidEnumValue(leafName(path), value));
      return;
    case 'list':
      if (!Array.isArray(value)) fail(msg.invalidParameterType(fullName(path), 'array'));
      value.forEach((item, i) => visit(item, type.of, [...path, i]));
      return;
    case 'struct': {
      if (!isObject(value)) fail(msg.invalidParameterType(fullName(path), 'object'));
      const visited = new Set<string>();
      visitMembers(value, type.members, path, visited);
      checkUnexpected(value, visited, path);
      return;
    }
    case 'union': {
      if (!isObject(value)) fail(msg.invalidParameterType(fullName(path), 'object'));
      const visited = new Set<string>();
      visitMembers(value, type.base, path, visited);
      const tag = value[type.discriminator];
      const variant = typeof tag === 'string' ? type.variants[tag] : undefined;
      if (variant) visitMembers(value, variant, path, visited);
      checkUnexpected(value, visited, path);
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
      if (!branch) fail(msg.invalidParameterType(leafName(path), type.name));
      visit(value, branch, path);
      return;
    }
  }
}
