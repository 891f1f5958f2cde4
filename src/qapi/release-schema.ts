/**
 * A QAPI type as one QEMU release has it: the members a later release added (`since`) left out,
 * so that the visitor answers them as QEMU of that release does (`Parameter 'x' is unexpected`).
 * Each type is cut once per release and kept.
 */
import type { Member, QapiType } from './schema.js';

const cut = new Map<number, WeakMap<QapiType, QapiType>>();

const members = (list: readonly Member[], release: number): Member[] =>
  list.filter((m) => (m.since ?? 0) <= release && release < (m.before ?? Infinity)).map((m) => ({ ...m, type: schemaFor(m.type, release) }));

function cutType(type: QapiType, release: number): QapiType {
  switch (type.kind) {
    case 'struct':
      return { kind: 'struct', members: members(type.members, release) };
    case 'union':
      return {
        ...type,
        base: members(type.base, release),
        variants: Object.fromEntries(Object.entries(type.variants).map(([name, list]) => [name, members(list, release)])),
      };
    case 'list':
      return { kind: 'list', of: schemaFor(type.of, release) };
    case 'alternate': {
      // its object branch may be the type that holds it (BlockdevRef in BlockdevOptions): cut when asked
      const source = type;
      return {
        kind: 'alternate',
        name: type.name,
        ...(type.null ? { null: true } : {}),
        ...(type.string ? { string: schemaFor(type.string, release) } : {}),
        ...(type.bool ? { bool: schemaFor(type.bool, release) } : {}),
        ...(type.number ? { number: schemaFor(type.number, release) } : {}),
        get object(): QapiType | undefined {
          return source.object && schemaFor(source.object, release);
        },
      };
    }
    default:
      return type;
  }
}

/** `type` as QEMU `release` (major * 100 + minor) has it. */
export function schemaFor(type: QapiType, release: number): QapiType {
  let types = cut.get(release);
  if (!types) cut.set(release, (types = new WeakMap()));
  let found = types.get(type);
  if (!found) types.set(type, (found = cutType(type, release)));
  return found;
}
