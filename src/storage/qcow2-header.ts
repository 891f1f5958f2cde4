/**
 * Reads the few fields of a qcow2 header that the permission model needs: the magic, the
 * virtual size, the backing file name and the backing format header extension.
 */
import type { ImageHeader } from './storage.js';

const QCOW2_MAGIC = 0x514649fb; // 'Q' 'F' 'I' 0xfb
const EXT_BACKING_FORMAT = 0xe2792aca;
const EXT_END = 0;

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
