/**
 * Records keyed by names a client or a scenario gives (job ids, object ids, command names). A
 * plain object literal would answer `constructor`, `toString` or `__proto__` from
 * Object.prototype, and setting `__proto__` on one replaces its prototype: these records have no
 * prototype, and lookups take own entries only, so any name is just a key.
 */

/** A record without a prototype, holding `entries` (copied) if given. */
export function nameRecord<T>(entries?: Readonly<Record<string, T>>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  if (entries) for (const key of Object.keys(entries)) record[key] = entries[key]!;
  return record;
}

/** The record's own entry for `key`, never one inherited from a prototype. */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
