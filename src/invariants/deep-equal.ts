/** Structural equality of two snapshots, cheap where immer kept subtrees identical; the first path that differs. */
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
