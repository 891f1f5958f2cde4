/**
 * query-qmp-schema's SchemaInfo list, built from permgraph's own QAPI types the way QEMU's
 * scripts/qapi/introspect.py (QAPISchemaGenIntrospectVisitor) builds it: commands and events
 * first, then every type they use, in the order first used; the names of types other than
 * builtins and arrays masked as numbers in the order they are first named ("0", "1", …); every
 * integer type (int, uint64, uint32, size) answered as `int`; an optional member with
 * `default: null`; a command without arguments or return value pointing at the empty object.
 */
import type { EnumMember, Member, QapiType } from './schema.js';

export type SchemaInfo = Readonly<Record<string, unknown>>;

export interface SchemaCommand {
  readonly name: string;
  readonly args?: QapiType | undefined;
  readonly ret?: QapiType | undefined;
  readonly features?: readonly string[] | undefined;
  readonly allowOob?: boolean | undefined;
}

export interface SchemaEvent {
  readonly name: string;
  readonly data?: QapiType | undefined;
  readonly features?: readonly string[] | undefined;
}

type Named = Exclude<QapiType, { readonly kind: 'list' }>;

/** QEMU's the_empty_object_type (q_empty). */
const EMPTY: QapiType = { kind: 'struct', members: [] };

const BUILTIN: Readonly<Record<string, { readonly name: string; readonly json: string }>> = {
  str: { name: 'str', json: 'string' },
  bool: { name: 'bool', json: 'boolean' },
  int: { name: 'int', json: 'int' },
  uint64: { name: 'int', json: 'int' },
  uint32: { name: 'int', json: 'int' },
  size: { name: 'int', json: 'int' },
  number: { name: 'number', json: 'number' },
  any: { name: 'any', json: 'value' },
  null: { name: 'null', json: 'null' },
};

/** One object type of a union's variant: its members as a struct, one per member list. */
const variantTypes = new WeakMap<readonly Member[], QapiType>();
function variantType(members: readonly Member[] | undefined, features: readonly string[] | undefined): QapiType {
  if (!members || (members.length === 0 && !features)) return EMPTY;
  let found = variantTypes.get(members);
  if (!found) variantTypes.set(members, (found = { kind: 'struct', members, ...(features ? { features } : {}) }));
  return found;
}

const withFeatures = (info: Record<string, unknown>, features: readonly string[] | undefined): SchemaInfo =>
  features && features.length > 0 ? { ...info, features: [...features] } : info;

class Introspection {
  readonly trees: SchemaInfo[] = [];
  private readonly queue: QapiType[] = [];
  private readonly keys = new Map<string, string>();
  private readonly identity = new Map<QapiType, string>();
  private readonly used = new Set<string>();

  /** _name(): a type's masked name, given the first time it is asked for. */
  private masked(key: string): string {
    let name = this.keys.get(key);
    if (name === undefined) this.keys.set(key, (name = String(this.keys.size)));
    return name;
  }

  /** What makes a type one entry: its name where it has one (enum, alternate), else itself. */
  private keyOf(type: Named): string {
    if (type.kind === 'enum' || type.kind === 'alternate') return `${type.kind}:${type.name}`;
    let key = this.identity.get(type);
    if (key === undefined) this.identity.set(type, (key = `type:${this.identity.size}`));
    return key;
  }

  /** _use_type(): the type's name as SchemaInfo refers to it; queues it the first time. */
  use(type: QapiType): string {
    const builtin = BUILTIN[type.kind];
    const name = builtin ? builtin.name : type.kind === 'list' ? `[${this.use(type.of)}]` : this.masked(this.keyOf(type as Named));
    if (!this.used.has(name)) {
      this.used.add(name);
      this.queue.push(type);
    }
    return name;
  }

  command(command: SchemaCommand): void {
    const info: Record<string, unknown> = { name: command.name, 'meta-type': 'command', 'arg-type': this.use(command.args ?? EMPTY), 'ret-type': this.use(command.ret ?? EMPTY) };
    if (command.allowOob) info['allow-oob'] = true;
    this.trees.push(withFeatures(info, command.features));
  }

  event(event: SchemaEvent): void {
    this.trees.push(withFeatures({ name: event.name, 'meta-type': 'event', 'arg-type': this.use(event.data ?? EMPTY) }, event.features));
  }

  /** visit_end(): the types used, in the order first used (visiting one may queue more). */
  types(): void {
    for (let i = 0; i < this.queue.length; i++) this.trees.push(this.type(this.queue[i] as QapiType));
  }

  private member(member: Member): SchemaInfo {
    const info: Record<string, unknown> = { name: member.name, type: this.use(member.type) };
    if (member.optional) info['default'] = null;
    return withFeatures(info, member.features);
  }

  private type(type: QapiType): SchemaInfo {
    const builtin = BUILTIN[type.kind];
    if (builtin) return { name: builtin.name, 'meta-type': 'builtin', 'json-type': builtin.json };
    const name = this.use(type);
    switch (type.kind) {
      case 'list':
        return { name, 'meta-type': 'array', 'element-type': this.use(type.of) };
      case 'enum':
        return withFeatures({
          name,
          'meta-type': 'enum',
          members: (type.members ?? type.values.map((value): EnumMember => ({ name: value }))).map((m) => withFeatures({ name: m.name }, m.features)),
          values: [...type.values],
        }, type.features);
      case 'struct':
        return withFeatures({ name, 'meta-type': 'object', members: type.members.map((m) => this.member(m)) }, type.features);
      case 'union':
        return withFeatures(this.union(name, type), type.features);
      case 'alternate': {
        const branches = [type.object, type.string, type.bool, type.number, type.null ? ({ kind: 'null' } as const) : undefined];
        const members = branches.filter((b): b is QapiType => b !== undefined).map((b) => ({ type: this.use(b) }));
        return withFeatures({ name, 'meta-type': 'alternate', members }, type.features);
      }
      default:
        throw new Error(`no SchemaInfo for a ${type.kind}`);
    }
  }

  /** A flat union: its base's members, the tag, and a variant for every value of the tag's enum. */
  private union(name: string, type: Extract<QapiType, { readonly kind: 'union' }>): SchemaInfo {
    const members = type.base.map((m) => this.member(m));
    const tag = type.base.find((m) => m.name === type.discriminator)?.type;
    // the branches the union spells out, then (q_empty) the tag's other values
    const values = tag?.kind === 'enum' ? tag.values : undefined;
    const declared = Object.keys(type.variants).filter((v) => !values || values.includes(v));
    const cases = [...declared, ...(values ?? []).filter((v) => !declared.includes(v))];
    const variants = cases.map((value) => {
      const members = Object.hasOwn(type.variants, value) ? type.variants[value] : undefined;
      const features = type.variantFeatures && Object.hasOwn(type.variantFeatures, value) ? type.variantFeatures[value] : undefined;
      return { case: value, type: this.use(variantType(members, features)) };
    });
    return { name, 'meta-type': 'object', members, tag: type.discriminator, variants };
  }
}

/** query-qmp-schema's answer for these commands and events. */
export function introspect(commands: readonly SchemaCommand[], events: readonly SchemaEvent[]): SchemaInfo[] {
  const schema = new Introspection();
  for (const command of commands) schema.command(command);
  for (const event of events) schema.event(event);
  schema.types();
  return schema.trees;
}
