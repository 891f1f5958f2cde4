/**
 * A QAPI type as one QEMU release has it: the members a later release added (`since`) left out,
 * so that the visitor answers them as QEMU of that release does (`Parameter 'x' is unexpected`).
 * Each type is cut once per release and kept.
 */
import type { Member, QapiType } from './schema.js';

const cut = new Map<number, WeakMap<QapiType, QapiType>>();

const members = (list: readonly Member[], release: number): Member[] =>
  list.filter((m) => (m.since ?? 0) <= release && release < (m.before ?? Infinity)).map((m) => ({ ...m, type: schemaFor(m.type, release) }));

function cutType(type: QapiType, release: number, types: WeakMap<QapiType, QapiType>): QapiType {
  switch (type.kind) {
    case 'struct': {
      // kept before its members are cut: a member may be of the type that holds it (ImageInfo's backing-image)
      const out = { ...type, members: [] as Member[] };
      types.set(type, out);
      out.members.push(...members(type.members, release));
      return out;
    }
    case 'union': {
      const out = { ...type, base: [] as Member[], variants: {} as Record<string, readonly Member[]> };
      types.set(type, out);
      out.base.push(...members(type.base, release));
      for (const [name, list] of Object.entries(type.variants)) out.variants[name] = members(list, release);
      return out;
    }
    case 'list':
      return { kind: 'list', of: schemaFor(type.of, release) };
    case 'enum': {
      if (!type.members) return type;
      const kept = type.members.filter((m) => (m.since ?? 0) <= release && release < (m.before ?? Infinity));
      return { ...type, values: kept.map((m) => m.name), members: kept };
    }
    case 'alternate': {
      // its object branch may be the type that holds it (BlockdevRef in BlockdevOptions): cut when asked
      const source = type;
      return {
        kind: 'alternate',
        name: type.name,
        ...(type.features ? { features: type.features } : {}),
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
  if (!found) types.set(type, (found = cutType(type, release, types)));
  return found;
}
