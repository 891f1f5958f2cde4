/**
 * The image headers of the formats other than qcow2 as the real storage reads them from a file's
 * first bytes: the magic, the size the guest sees and the backing file (QEMU's own header
 * layouts: block/qcow.c QCowHeader, qed.h QEDHeader, vmdk.c VMDK4Header and descriptor,
 * vpc.c VHDFooter, vdi.c VdiHeader, parallels.c ParallelsHeader, crypto/block-luks.c's
 * phdr, cloop.c). A vhdx image's size lies in its metadata region, beyond the bytes read:
 * it is taken as its file's size.
 */
import { cloopVirtualSize } from './cloop-header.js';
import type { ImageHeader } from './storage.js';

type Parser = (buf: Buffer, fileSize: number) => ImageHeader | undefined;

const text = (buf: Buffer, at: number, magic: string): boolean => buf.length >= at + magic.length && buf.toString('latin1', at, at + magic.length) === magic;
const u64le = (buf: Buffer, at: number): number => (buf.length >= at + 8 ? Number(buf.readBigUInt64LE(at)) : 0);

/** A backing file name stored at an offset in the bytes read, when it lies there. */
function named(buf: Buffer, offset: number, size: number): { backingFile?: string } {
  return offset > 0 && size > 0 && offset + size <= buf.length ? { backingFile: buf.toString('utf8', offset, offset + size) } : {};
}

const PARSERS: readonly Parser[] = [
  (buf) =>
    text(buf, 0, 'QFI\xfb') && buf.length >= 48 && buf.readUInt32BE(4) === 1
      ? { format: 'qcow', virtualSize: Number(buf.readBigUInt64BE(24)), ...named(buf, Number(buf.readBigUInt64BE(8)), buf.readUInt32BE(16)) }
      : undefined,
  (buf) =>
    text(buf, 0, 'QED\0') && buf.length >= 64
      ? { format: 'qed', virtualSize: u64le(buf, 48), ...named(buf, buf.readUInt32LE(56), buf.readUInt32LE(60)) }
      : undefined,
  (buf) => {
    if (!text(buf, 0, 'KDMV') || buf.length < 20) return undefined;
    const parent = /parentFileNameHint="([^"]*)"/.exec(buf.toString('latin1', 512, Math.min(buf.length, 512 * 21)));
    return { format: 'vmdk', virtualSize: u64le(buf, 12) * 512, ...(parent?.[1] ? { backingFile: parent[1] } : {}) };
  },
  (buf) => {
    if (!text(buf, 0, 'conectix') || buf.length < 60) return undefined;
    const chs = buf.readUInt16BE(56) * buf.readUInt8(58) * buf.readUInt8(59) * 512;
    return { format: 'vpc', virtualSize: chs || Number(buf.readBigUInt64BE(48)) };
  },
  (buf, fileSize) => (text(buf, 0, 'vhdxfile') ? { format: 'vhdx', virtualSize: fileSize } : undefined),
  (buf) => (buf.length >= 376 && buf.readUInt32LE(64) === 0xbeda107f ? { format: 'vdi', virtualSize: u64le(buf, 368) } : undefined),
  (buf) =>
    (text(buf, 0, 'WithoutFreeSpace') || text(buf, 0, 'WithouFreSpacExt')) && buf.length >= 44
      ? { format: 'parallels', virtualSize: u64le(buf, 36) * 512 }
      : undefined,
  (buf, fileSize) =>
    text(buf, 0, 'LUKS\xba\xbe') && buf.length >= 108 ? { format: 'luks', virtualSize: fileSize - buf.readUInt32BE(104) * 512 } : undefined,
];

/** The header of an image of these formats at the start of `buf`, or undefined (raw, or qcow2: src/storage/qcow2-header.ts). */
export function parseImageHeader(buf: Buffer, fileSize: number): ImageHeader | undefined {
  for (const parse of PARSERS) {
    const header = parse(buf, fileSize);
    if (header) return header;
  }
  const cloop = cloopVirtualSize((at) => buf[at] ?? 0);
  return cloop === undefined ? undefined : { format: 'cloop', virtualSize: cloop };
}
