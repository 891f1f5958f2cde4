/**
 * Reads the few fields of a qcow2 header that the permission model needs: the magic, the
 * virtual size, the backing file name and the backing format header extension.
 */
import type { Qcow2Facts } from '../graph/node-header.js';
import type { ImageHeader } from './storage.js';

const QCOW2_MAGIC = 0x514649fb; // 'Q' 'F' 'I' 0xfb
const EXT_BACKING_FORMAT = 0xe2792aca;
const EXT_END = 0;
const INCOMPAT_DIRTY = 1;
const INCOMPAT_CORRUPT = 2;
const INCOMPAT_EXTL2 = 16;
const COMPAT_LAZY_REFCOUNTS = 1;

/** qcow2_do_open(): the version, cluster_bits, the feature bits (version 3), refcount_order and compression_type. */
function qcow2Facts(buf: Buffer, version: number, headerLength: number): Qcow2Facts {
  const v3 = version >= 3 && buf.length >= 104;
  const incompatible = v3 ? Number(buf.readBigUInt64BE(72)) : 0;
  const compatible = v3 ? Number(buf.readBigUInt64BE(80)) : 0;
  return {
    compat: version >= 3 ? '1.1' : '0.10',
    clusterSize: 2 ** buf.readUInt32BE(20),
    lazyRefcounts: (compatible & COMPAT_LAZY_REFCOUNTS) !== 0,
    refcountBits: v3 ? 2 ** buf.readUInt32BE(96) : 16,
    extendedL2: (incompatible & INCOMPAT_EXTL2) !== 0,
    compressionType: headerLength > 104 && buf.length > 104 && buf[104] === 1 ? 'zstd' : 'zlib',
    corrupt: (incompatible & INCOMPAT_CORRUPT) !== 0,
    dirty: (incompatible & INCOMPAT_DIRTY) !== 0,
  };
}

export function isQcow2(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32BE(0) === QCOW2_MAGIC;
}

/** Parses the header at the start of `buf`; undefined when it is no qcow2 image. */
export function parseQcow2Header(buf: Buffer): ImageHeader | undefined {
  if (buf.length < 72 || !isQcow2(buf)) return undefined;
  const version = buf.readUInt32BE(4);
  // version 1 is the qcow format (src/storage/image-headers.ts)
  if (version < 2) return undefined;
  const backingOffset = Number(buf.readBigUInt64BE(8));
  const backingSize = buf.readUInt32BE(16);
  const virtualSize = Number(buf.readBigUInt64BE(24));
  const header: { -readonly [K in keyof ImageHeader]: ImageHeader[K] } = {
    format: 'qcow2',
    virtualSize,
  };
  if (backingOffset > 0 && backingSize > 0 && backingOffset + backingSize <= buf.length) {
    header.backingFile = buf.toString('utf8', backingOffset, backingOffset + backingSize);
  }
  const headerLength = version >= 3 && buf.length >= 104 ? buf.readUInt32BE(100) : 72;
  header.qcow2 = qcow2Facts(buf, version, headerLength);
  let at = headerLength;
  while (at + 8 <= buf.length) {
    const type = buf.readUInt32BE(at);
    const len = buf.readUInt32BE(at + 4);
    if (type === EXT_END) break;
    if (type === EXT_BACKING_FORMAT && at + 8 + len <= buf.length) {
      header.backingFormat = buf.toString('utf8', at + 8, at + 8 + len);
    }
    at += 8 + Math.ceil(len / 8) * 8;
  }
  return header;
}
