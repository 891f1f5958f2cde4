/**
 * QObject values as QEMU's JSON parser builds them (qobject/json-parser.c), in JavaScript terms:
 * null, booleans, strings, arrays and objects as usual; a JSON integer that fits int64 or uint64
 * is a `number` when it is a safe integer and a `bigint` otherwise (QNUM_I64 / QNUM_U64, exact);
 * a JSON number with a fraction or an exponent, or an integer beyond uint64, is a `QFloat`
 * (QNUM_DOUBLE), so that `1.0` is not taken for the integer 1.
 */
export class QFloat {
  constructor(readonly value: number) {}
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

/** A QDict: an object that is no list and no double. */
export const isQDict = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof QFloat);

/** qnum_get_try_int(): the value as int64, if it is one. */
export function qnumInt(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
  return undefined;
}

/** qnum_get_try_uint(): the value as uint64, if it is one. */
export function qnumUint(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value >= 0n && value <= UINT64_MAX ? value : undefined;
  return undefined;
}

/** qnum_get_double(): any number as a double. */
export function qnumDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof QFloat) return value.value;
  return undefined;
}

/** A QObject as plain JSON data: exact kinds dropped, numbers as JavaScript numbers. */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof QFloat) return value.value;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) setMember(out, key, plainValue(member));
    return out;
  }
  return value;
}

/** Sets an object's own member, `__proto__` included (a plain assignment would set the prototype). */
export function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * tdb_hash() modulo QDICT_BUCKET_MAX (qobject/qdict.c): the bucket a QDict keeps a key in. A QDict
 * lists its keys bucket by bucket, and within a bucket the key added last first.
 */
export function qdictBucket(key: string): number {
  let bucket = knownBuckets.get(key);
  if (bucket === undefined) {
    bucket = tdbHash(key) % 512;
    // the schema's member names recur; a client's own keys are not all kept
    if (knownBuckets.size < 4096) knownBuckets.set(key, bucket);
  }
  return bucket;
}

const knownBuckets = new Map<string, number>();

function tdbHash(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  let value = Math.imul(0x238f13af, bytes.length) >>> 0;
  for (let i = 0; i < bytes.length; i++) value = (value + ((bytes[i]! << ((i * 5) % 24)) >>> 0)) >>> 0;
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

/**
 * The keys of an object in the order qdict_first()/qdict_next() visit them: bucket by bucket and,
 * within a bucket, the key added last first when `newestFirst` (an object as the parser built
 * it), else in the object's own order (values the simulator builds list their members in the
 * order QEMU prints them).
 */
export function qdictKeys(value: object, newestFirst = false): string[] {
  const keys = Object.keys(value);
  if (keys.length < 2) return keys;
  const order = keys.map((key, added) => ({ key, added, bucket: qdictBucket(key) }));
  order.sort((a, b) => a.bucket - b.bucket || (newestFirst ? b.added - a.added : a.added - b.added));
  return order.map((entry) => entry.key);
}

/**
 * qdict_flatten(): nested dicts as dotted keys (`server.path`), as QEMU holds a node's options;
 * the keys in `keep` (children, which are options of their own) stay as they are.
 */
export function flattenQDict(value: Readonly<Record<string, unknown>>, keep: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // a nested dict is flattened in the order QEMU visits it (within a bucket, the newest key first)
  const walk = (dict: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const key of prefix === '' ? Object.keys(dict) : qdictKeys(dict, true)) {
      const item = dict[key];
      if (isQDict(item) && !(prefix === '' && keep.includes(key))) walk(item, `${prefix}${key}.`);
      else setMember(out, `${prefix}${key}`, item);
    }
  };
  walk(value, '');
  return out;
}
