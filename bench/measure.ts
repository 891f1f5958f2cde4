/** Small timing helpers for the benchmarks. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Microseconds each call of `fn` took. */
export function timeEach(count: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn(i);
    out.push((performance.now() - start) * 1000);
  }
  return out;
}

export const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;
export const heapMiB = (): number => process.memoryUsage().heapUsed / 2 ** 20;

export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    collect();
    collect();
  }
}
