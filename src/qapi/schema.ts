/**
 * QAPI types as data, enough to check QMP arguments the way QEMU's generated visitors do
 * (qapi/qobject-input-visitor.c): members in schema order, the first failure wins, and a struct's
 * unexpected members are reported only after all its known members were visited.
 */
export type QapiType =
  | { readonly kind: 'str' }
  | { readonly kind: 'bool' }
  /** int64, or with `bits` int32 / int16 / int8 (visit_type_intN(): an int64, then a range check). */
  | { readonly kind: 'int'; readonly exact?: true; readonly bits?: 8 | 16 | 32 }
  | { readonly kind: 'uint64'; readonly exact?: true }
  /** uint32, or with `bits` uint16 / uint8 (visit_type_uintN(): a uint64, then a range check). */
  | { readonly kind: 'uint32'; readonly bits?: 8 | 16 }
  | { readonly kind: 'size' }
  | { readonly kind: 'number' }
  | { readonly kind: 'any' }
  | { readonly kind: 'null' }
  | {
      readonly kind: 'enum';
      readonly name: string;
      readonly values: readonly string[];
      /** The values with what a release adds or drops and their features (cut per release to `values`). */
      readonly members?: readonly EnumMember[];
      readonly features?: readonly string[];
    }
  | { readonly kind: 'struct'; readonly members: readonly Member[]; readonly features?: readonly string[] }
  | {
      readonly kind: 'union';
      readonly features?: readonly string[];
      readonly base: readonly Member[];
      readonly discriminator: string;
      readonly variants: Readonly<Record<string, readonly Member[]>>;
      /** Features of a variant's own type (BlockdevOptionsFile's `dynamic-auto-read-only`). */
      readonly variantFeatures?: Readonly<Record<string, readonly string[]>>;
    }
  | {
      readonly kind: 'alternate';
      readonly name: string;
      readonly features?: readonly string[];
      readonly string?: QapiType;
      readonly object?: QapiType;
      readonly null?: true;
      readonly bool?: QapiType;
      readonly number?: QapiType;
    }
  | { readonly kind: 'list'; readonly of: QapiType };

/** One value of an enum, as query-qmp-schema's enum `members` lists it. */
export interface EnumMember {
  readonly name: string;
  readonly since?: number;
  readonly before?: number;
  readonly features?: readonly string[];
}

export interface Member {
  readonly name: string;
  readonly type: QapiType;
  readonly optional?: boolean;
  /** The QEMU release that added it (major * 100 + minor, as `since(1000, …)` for 10.0); older ones answer it as unexpected. */
  readonly since?: number;
  /** The QEMU release from which it is gone (from that place: a member that moved is listed twice). */
  readonly before?: number;
  /** Its QAPI features as query-qmp-schema lists them (`deprecated`, `unstable`). */
  readonly features?: readonly string[];
}

export const str: QapiType = { kind: 'str' };
export const bool: QapiType = { kind: 'bool' };
export const int: QapiType = { kind: 'int' };
export const uint64: QapiType = { kind: 'uint64' };
/**
 * An int64 / uint64 a handler needs exactly (it compares it with QEMU's limits or prints it): a
 * `bigint` where a double would round it, a number otherwise.
 */
export const exactInt: QapiType = { kind: 'int', exact: true };
export const exactUint64: QapiType = { kind: 'uint64', exact: true };
export const uint32: QapiType = { kind: 'uint32' };
export const uint16: QapiType = { kind: 'uint32', bits: 16 };
export const uint8: QapiType = { kind: 'uint32', bits: 8 };
export const int32: QapiType = { kind: 'int', bits: 32 };
export const size: QapiType = { kind: 'size' };
export const number: QapiType = { kind: 'number' };
export const any: QapiType = { kind: 'any' };

export const enumOf = (name: string, values: readonly string[]): QapiType => ({ kind: 'enum', name, values });
/** An enum whose values carry features or came (`since`) or went (`before`) with a release. */
export const enumWith = (name: string, members: readonly (string | EnumMember)[]): QapiType => {
  const list = members.map((m) => (typeof m === 'string' ? { name: m } : m));
  return { kind: 'enum', name, values: list.map((m) => m.name), members: list };
};
export const struct = (...members: Member[]): QapiType => ({ kind: 'struct', members });
export const listOf = (of: QapiType): QapiType => ({ kind: 'list', of });
export const req = (name: string, type: QapiType): Member => ({ name, type });
export const opt = (name: string, type: QapiType): Member => ({ name, type, optional: true });
/** A member QEMU added in `release` (major * 100 + minor). */
export const since = (release: number, member: Member): Member => ({ ...member, since: release });
/** A member (or its place among the others) that QEMU `release` no longer has. */
export const before = (release: number, member: Member): Member => ({ ...member, before: release });
/** A member with QAPI features (`deprecated`, `unstable`, …), as query-qmp-schema lists them. */
export const featured = (member: Member, ...features: string[]): Member => ({ ...member, features });
/** A struct, union, enum or alternate with QAPI features of its own. */
export const withFeatures = <T extends QapiType>(type: T, ...features: string[]): T => ({ ...type, features });
