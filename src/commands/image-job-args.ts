/**
 * The arguments of blockdev-create and x-blockdev-amend (qapi/block-core.json: BlockdevCreateOptions,
 * BlockdevAmendOptions; the same in QEMU 7.2 and 10.0). Only the variants of the drivers whose
 * creation is simulated (file, qcow2) are spelled out; the others are empty here.
 */
import { BLOCKDEV_DRIVERS } from '../qapi/block-schema.js';
import { any, bool, enumOf, int, opt, req, size, str, struct, type Member, type QapiType } from '../qapi/schema.js';
import { blockdevOptions } from '../drivers/blockdev-options.js';

const driver = req('driver', enumOf('BlockdevDriver', BLOCKDEV_DRIVERS));
const prealloc = enumOf('PreallocMode', ['off', 'metadata', 'falloc', 'full']);
const blockdevRef: QapiType = { kind: 'alternate', name: 'BlockdevRef', string: str, object: blockdevOptions };

/** BlockdevCreateOptionsFile. */
const createFile: readonly Member[] = [
  req('filename', str),
  req('size', size),
  opt('preallocation', prealloc),
  opt('nocow', bool),
  opt('extent-size-hint', size),
];

/** BlockdevCreateOptionsQcow2 (`encrypt`: QCryptoBlockCreateOptions, not simulated). */
const createQcow2: readonly Member[] = [
  req('file', blockdevRef),
  opt('data-file', blockdevRef),
  opt('data-file-raw', bool),
  opt('extended-l2', bool),
  req('size', size),
  opt('version', enumOf('BlockdevQcow2Version', ['v2', 'v3'])),
  opt('backing-file', str),
  opt('backing-fmt', enumOf('BlockdevDriver', BLOCKDEV_DRIVERS)),
  opt('encrypt', any),
  opt('cluster-size', size),
  opt('preallocation', prealloc),
  opt('lazy-refcounts', bool),
  opt('refcount-bits', int),
  opt('compression-type', enumOf('Qcow2CompressionType', ['zlib', 'zstd'])),
];

export const blockdevCreateArgs: QapiType = struct(
  req('job-id', str),
  req('options', { kind: 'union', base: [driver], discriminator: 'driver', variants: { file: createFile, qcow2: createQcow2 } }),
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
