/**
 * The `luks` format driver (block/crypto.c, crypto/block-luks.c): an encrypted image whose key
 * slot opens with the password of a `secret` object (object-add) named by `key-secret`. The secret
 * is read once, at open: object-del may take it away from an open node. Its data starts after the
 * LUKS header; a resize passes the size, that offset added, to its file.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { PermPair } from '../perms/cumulative.js';
import { Perm } from '../perms/perm.js';
import { opt, req, since, str } from '../qapi/schema.js';
import { defaultPerms, type ChildPermInput } from './default-perms.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { imageFormatDriver, openImageFile } from './image-format.js';

/** qcrypto_block_get_payload_offset() of an image as qemu-img creates it (aes-256-xts, sha256, 8 key slots). */
export const LUKS_PAYLOAD_OFFSET = 2_068_480;

/**
 * block_crypto_child_perms(): bdrv_default_perms(), but write and resize taken only when its own
 * parents take them, and shared as far as they share them.
 */
function luksChildPerm(input: ChildPermInput): PermPair {
  const base = defaultPerms(input);
  const passOn = Perm.WRITE | Perm.RESIZE;
  return { perm: (base.perm & ~passOn) | (input.perm & passOn), shared: base.shared | (input.shared & passOn) };
}

/** The secret's text (qcrypto_secret_lookup_as_utf8()): its `data`, decoded when given as base64. */
function secretText(host: DriverOpenHost, id: string): string | undefined {
  const data = host.objectProperty(id, 'data');
  if (typeof data !== 'string') return undefined;
  return host.objectProperty(id, 'format') === 'base64' ? atob(data) : data;
}

/**
 * block_crypto_open_generic(): the file child first, then qcrypto_block_luks_open(): the
 * key-secret is required and looked up, then the header's magic, then a key slot the password opens.
 */
function openLuks(host: DriverOpenHost, options: BlockdevOptions): void {
  const below = openImageFile(host);
  const keySecret = options['key-secret'] as string | undefined;
  if (keySecret === undefined) fail(msg.luksKeySecretRequired());
  const type = host.objectType(keySecret);
  if (type === undefined) fail(msg.noSecret(keySecret));
  if (type !== 'secret') fail(msg.notASecret(keySecret));
  if (below.format !== 'luks' || !below.header) fail(msg.luksNotLuks());
  // a storage that does not know the password (real files) lets the key open
  if (below.header.password !== undefined && below.header.password !== secretText(host, keySecret)) fail(msg.luksInvalidPassword());
  host.size = Math.max(0, below.size - LUKS_PAYLOAD_OFFSET);
}

export const luks = imageFormatDriver({
  name: 'luks',
  // BlockdevOptionsLUKS; a detached `header` since QEMU 9.0 (not simulated: checked, then left aside)
  members: ({ ref }) => [req('file', ref), opt('key-secret', str), since(1000, opt('header', ref))],
  childPerm: luksChildPerm,
  supportsBacking: false,
  reopen: [],
  open: openLuks,
  truncate: (_options, size) => ({ fileSize: size + BigInt(LUKS_PAYLOAD_OFFSET) }),
  // block_crypto_strong_runtime_opts
  strongOptions: ['key-secret'],
});
