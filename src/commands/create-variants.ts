/**
 * The BlockdevCreateOptions variants (qapi/block-core.json, QEMU 7.2; `since(1000, …)` for what
 * 10.0 changed) of the drivers whose creation permgraph does not simulate: blockdev-create checks
 * their arguments as QEMU does before refusing the driver. Their encryption options are
 * QCryptoBlockCreateOptions (qapi/crypto.json) and RbdEncryptionCreateOptions.
 */
import { QAPI_ONLY_BLOCKDEV_VARIANTS } from '../drivers/qapi-only-variants.js';
import type { BlockdevRefs } from '../drivers/driver.js';
import { before, bool, enumOf, enumWith, int, listOf, opt, req, since, size, str, struct, type Member, type QapiType } from '../qapi/schema.js';

export const cipherAlg = enumWith('QCryptoCipherAlgo', [
  'aes-128', 'aes-192', 'aes-256', 'des', '3des', 'cast5-128', 'serpent-128', 'serpent-192', 'serpent-256',
  'twofish-128', 'twofish-192', 'twofish-256', { name: 'sm4', since: 1000 },
]);
const hashAlg = enumWith('QCryptoHashAlgo', ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'ripemd160', { name: 'sm3', since: 1000 }]);

/** QCryptoBlockCreateOptionsLUKS. */
export const luksCreateMembers: readonly Member[] = [
  opt('key-secret', str), opt('cipher-alg', cipherAlg), opt('cipher-mode', enumOf('QCryptoCipherMode', ['ecb', 'cbc', 'xts', 'ctr'])),
  opt('ivgen-alg', enumOf('QCryptoIVGenAlgo', ['plain', 'plain64', 'essiv'])), opt('ivgen-hash-alg', hashAlg), opt('hash-alg', hashAlg),
  opt('iter-time', int),
];

/** QCryptoBlockCreateOptions: by `format`. */
export const cryptoCreate: QapiType = {
  kind: 'union',
  discriminator: 'format',
  base: [req('format', enumOf('QCryptoBlockFormat', ['qcow', 'luks']))],
  variants: { qcow: [opt('key-secret', str)], luks: luksCreateMembers },
};

/** RbdEncryptionCreateOptions (10.0's format enum adds luks-any, with no variant). */
const rbdEncryptionCreate: QapiType = {
  kind: 'union',
  discriminator: 'format',
  base: [req('format', enumWith('RbdImageEncryptionFormat', ['luks', 'luks2', { name: 'luks-any', since: 1000 }]))],
  variants: { luks: [req('key-secret', str), opt('cipher-alg', cipherAlg)], luks2: [req('key-secret', str), opt('cipher-alg', cipherAlg)] },
};

const prealloc = enumOf('PreallocMode', ['off', 'metadata', 'falloc', 'full']);

/** A driver's BlockdevOptions, as the `location` of a protocol's creation. */
const location = (driver: string, refs: BlockdevRefs): QapiType => struct(...(QAPI_ONLY_BLOCKDEV_VARIANTS[driver]?.(refs) ?? []));

/** The variants, by driver, given the BlockdevRef alternate and the BlockdevDriver enum. */
export function createVariants(refs: BlockdevRefs, driverEnum: QapiType): Record<string, readonly Member[]> {
  const { ref } = refs;
  const subformat = enumOf('BlockdevVhdxSubformat', ['dynamic', 'fixed']);
  return {
    gluster: [req('location', location('gluster', refs)), req('size', size), opt('preallocation', prealloc)],
    luks: [
      ...luksCreateMembers, before(1000, req('file', ref)), since(1000, opt('file', ref)), since(1000, opt('header', ref)),
      req('size', size), opt('preallocation', prealloc),
    ],
    nfs: [req('location', location('nfs', refs)), req('size', size)],
    parallels: [req('file', ref), req('size', size), opt('cluster-size', size)],
    qcow: [req('file', ref), req('size', size), opt('backing-file', str), opt('encrypt', cryptoCreate)],
    qed: [req('file', ref), req('size', size), opt('backing-file', str), opt('backing-fmt', driverEnum), opt('cluster-size', size), opt('table-size', int)],
    rbd: [req('location', location('rbd', refs)), req('size', size), opt('cluster-size', size), opt('encrypt', rbdEncryptionCreate)],
    ssh: [req('location', location('ssh', refs)), req('size', size)],
    vdi: [req('file', ref), req('size', size), opt('preallocation', prealloc)],
    vhdx: [req('file', ref), req('size', size), opt('log-size', size), opt('block-size', size), opt('subformat', subformat), opt('block-state-zero', bool)],
    vmdk: [
      req('file', ref), req('size', size), opt('extents', listOf(ref)),
      opt('subformat', enumOf('BlockdevVmdkSubformat', ['monolithicSparse', 'monolithicFlat', 'twoGbMaxExtentSparse', 'twoGbMaxExtentFlat', 'streamOptimized'])),
      opt('backing-file', str), opt('adapter-type', enumOf('BlockdevVmdkAdapterType', ['ide', 'buslogic', 'lsilogic', 'legacyESX'])),
      opt('hwversion', str), opt('toolsversion', str), opt('zeroed-grain', bool),
    ],
    vpc: [req('file', ref), req('size', size), opt('subformat', enumOf('BlockdevVpcSubformat', ['dynamic', 'fixed'])), opt('force-size', bool)],
  };
}
