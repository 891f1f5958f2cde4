/** Where two snapshots first differ, as a readable path (`nodes[top].readOnly`), or null when deep-equal. */
import { shardEntries } from '../graph/shard-walk.js';
import type { Shards } from '../graph/shards.js';
import type { Graph } from '../graph/types.js';

const SHARDED = new Set<keyof Graph>(['nodes', 'edges', 'backends', 'exports', 'exportNames', 'fileUsers']);

export function graphDifference(a: Graph, b: Graph): string | null {
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Graph>) {
    const inner = SHARDED.has(field)
      ? shardedDifference(a[field] as Shards<unknown>, b[field] as Shards<unknown>, field)
      : firstDifference(a[field], b[field], field);
    if (inner) return inner;
  }
  return null;
}

/** Sharded records compared by their entries, whatever their layout. */
function shardedDifference(a: Shards<unknown>, b: Shards<unknown>, field: string): string | null {
  if (a === b) return null;
  const entriesA = shardEntries(a);
  const entriesB = shardEntries(b);
  for (const [key, value] of entriesA) {
    if (!entriesB.has(key)) return `${field}[${key}]`;
    const inner = firstDifference(value, entriesB.get(key), `${field}[${key}]`);
    if (inner) return inner;
  }
  for (const key of entriesB.keys()) if (!entriesA.has(key)) return `${field}[${key}]`;
  return null;
}

/** Where two values first differ (cheap where they share subtrees), as a path, or null when deep-equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path || '(top)';
  if (Array.isArray(a) !== Array.isArray(b)) return path || '(top)';
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  for (const key of keysA) {
    if (!Object.hasOwn(b, key)) return `${path}.${key}`;
    const inner = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (inner) return inner;
  }
  for (const key of keysB) if (!Object.hasOwn(a, key)) return `${path}.${key}`;
  return null;
}
