/**
 * The arguments of blockdev-create and x-blockdev-amend (qapi/block-core.json: BlockdevCreateOptions,
 * BlockdevAmendOptions): the variants of the drivers whose creation is simulated (file, qcow2)
 * here, the others in create-variants.ts.
 */
import { BLOCKDEV_DRIVERS } from '../qapi/block-schema.js';
import { bool, enumOf, int, opt, req, size, str, struct, type Member, type QapiType } from '../qapi/schema.js';
import { blockdevRefs } from '../drivers/blockdev-options.js';
import { createVariants, cryptoCreate } from './create-variants.js';

const driver = req('driver', enumOf('BlockdevDriver', BLOCKDEV_DRIVERS));
const prealloc = enumOf('PreallocMode', ['off', 'metadata', 'falloc', 'full']);
const blockdevRef = blockdevRefs.ref;

/** BlockdevCreateOptionsFile. */
const createFile: readonly Member[] = [
  req('filename', str),
  req('size', size),
  opt('preallocation', prealloc),
  opt('nocow', bool),
  opt('extent-size-hint', size),
];

/** BlockdevCreateOptionsQcow2 (`encrypt` is checked, then refused: not simulated). */
const createQcow2: readonly Member[] = [
  req('file', blockdevRef),
  opt('data-file', blockdevRef),
  opt('data-file-raw', bool),
  opt('extended-l2', bool),
  req('size', size),
  opt('version', enumOf('BlockdevQcow2Version', ['v2', 'v3'])),
  opt('backing-file', str),
  opt('backing-fmt', enumOf('BlockdevDriver', BLOCKDEV_DRIVERS)),
  opt('encrypt', cryptoCreate),
  opt('cluster-size', size),
  opt('preallocation', prealloc),
  opt('lazy-refcounts', bool),
  opt('refcount-bits', int),
  opt('compression-type', enumOf('Qcow2CompressionType', ['zlib', 'zstd'])),
];

export const blockdevCreateArgs: QapiType = struct(
  req('job-id', str),
  req('options', { kind: 'union', base: [driver], discriminator: 'driver', variants: { ...createVariants(blockdevRefs, driver.type), file: createFile, qcow2: createQcow2 } }),
);

/** QCryptoBlockAmendOptionsLUKS. */
const amendLuks: readonly Member[] = [
  req('state', enumOf('QCryptoBlockLUKSKeyslotState', ['active', 'inactive'])),
  opt('new-secret', str),
  opt('old-secret', str),
  opt('keyslot', int),
  opt('iter-time', int),
  opt('secret', str),
];

const cryptoAmend: QapiType = {
  kind: 'union',
  base: [req('format', enumOf('QCryptoBlockFormat', ['qcow', 'luks']))],
  discriminator: 'format',
  variants: { luks: amendLuks },
};

export const blockdevAmendArgs: QapiType = struct(
  req('job-id', str),
  req('node-name', str),
  req('options', { kind: 'union', base: [driver], discriminator: 'driver', variants: { luks: amendLuks, qcow2: [opt('encrypt', cryptoAmend)] } }),
  opt('force', bool),
);
