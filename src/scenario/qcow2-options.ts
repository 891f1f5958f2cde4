/**
 * `qemu-img create -f qcow2 -o …`: the creation options that show in an image's header
 * (qcow2_co_create_opts()), as the qcow2 facts a virtual image keeps.
 */
import { QCOW2_DEFAULTS, type Qcow2Facts } from '../graph/node-header.js';
import { ScenarioError } from './load.js';
import { parseSize } from './sizes.js';

const on = (value: string): boolean => value === 'on' || value === 'true';

/** The facts `-o` gives (undefined when it gives none that shows), or a refusal for an option not simulated. */
export function qcow2CreateOptions(text: string | undefined, where: string): Qcow2Facts | undefined {
  if (!text) return undefined;
  const facts: { -readonly [K in keyof Qcow2Facts]: Qcow2Facts[K] } = { ...QCOW2_DEFAULTS };
  for (const item of text.split(',')) {
    const [key, value = ''] = item.split('=') as [string, string?];
    if (key === 'compat') facts.compat = value === '0.10' || value === 'v2' ? '0.10' : '1.1';
    else if (key === 'lazy_refcounts') facts.lazyRefcounts = on(value);
    else if (key === 'refcount_bits') facts.refcountBits = Number(value);
    else if (key === 'cluster_size') facts.clusterSize = parseSize(value);
    else if (key === 'extended_l2') facts.extendedL2 = on(value);
    else if (key === 'compression_type') facts.compressionType = value === 'zstd' ? 'zstd' : 'zlib';
    else throw new ScenarioError(`${where}: qemu-img create: the qcow2 option '${key}' cannot be simulated`);
  }
  return facts;
}
