/**
 * BlockdevOptions (qapi/block-core.json, QEMU 7.2; `active` since 10.0): the members every node
 * takes, then one variant per driver, each from its driver's entry in the table
 * (src/drivers/registry.ts).
 */
import { blockdevDriver } from '../qapi/block-info.js';
import { bool, enumOf, opt, req, since, str, struct, type Member, type QapiType } from '../qapi/schema.js';
import type { BlockdevRefs } from './driver.js';
import { DRIVERS, QAPI_ONLY_VARIANTS } from './registry.js';

const blockdevRef: QapiType = {
  kind: 'alternate',
  name: 'BlockdevRef',
  string: str,
  get object(): QapiType {
    return blockdevOptions;
  },
};

const blockdevRefOrNull: QapiType = {
  kind: 'alternate',
  name: 'BlockdevRefOrNull',
  string: str,
  null: true,
  get object(): QapiType {
    return blockdevOptions;
  },
};

/** BlockdevRef and BlockdevRefOrNull, for the types that name nodes as blockdev-add does. */
export const blockdevRefs: BlockdevRefs = { ref: blockdevRef, refOrNull: blockdevRefOrNull };
const refs = blockdevRefs;

function variants(): Record<string, readonly Member[]> {
  const out: Record<string, readonly Member[]> = {};
  for (const driver of Object.values(DRIVERS)) if (driver.members) out[driver.name] = driver.members(refs);
  for (const [name, members] of Object.entries(QAPI_ONLY_VARIANTS)) out[name] = members(refs);
  return out;
}

export const blockdevOptions: QapiType = {
  kind: 'union',
  discriminator: 'driver',
  base: [
    req('driver', blockdevDriver),
    opt('node-name', str),
    opt('discard', enumOf('BlockdevDiscardOptions', ['ignore', 'unmap'])),
    opt('cache', struct(opt('direct', bool), opt('no-flush', bool))),
    since(1000, opt('active', bool)),
    opt('read-only', bool),
    opt('auto-read-only', bool),
    opt('force-share', bool),
    opt('detect-zeroes', enumOf('BlockdevDetectZeroesOptions', ['off', 'on', 'unmap'])),
  ],
  variants: variants(),
  variantFeatures: { file: ['dynamic-auto-read-only'], host_device: ['dynamic-auto-read-only'], host_cdrom: ['dynamic-auto-read-only'] },
};
