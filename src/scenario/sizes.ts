/** Sizes as qemu-img and qemu-io take them: bytes, or a number with a unit (k, K, M, G, T). */
const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseSize(text: string | number): number {
  if (typeof text === 'number') return text;
  const m = /^(\d+(?:\.\d+)?)([kKMGT]?)$/.exec(text);
  if (!m) throw new Error(`invalid size '${text}'`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}
