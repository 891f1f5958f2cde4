/**
 * What `qemu-img create -f FORMAT` of QEMU 7.2 leaves on disk, format by format: the size the
 * guest sees (vpc rounds it to a disk geometry), the file's size, and whether the image can name
 * a backing file. Sizes were measured with qemu-img 7.2 (1M, 64M and 1G images) and follow the
 * formats' own create functions, cited below. bochs, cloop and dmg cannot be created by qemu-img:
 * no file is of the first and last here, and a cloop image only one written by hand.
 */
import { LUKS_PAYLOAD_OFFSET } from '../drivers/luks.js';

/** Image formats a storage knows files of: raw and qcow2 (which jobs can create) and the others. */
export const DISK_FORMATS = ['raw', 'qcow2', 'qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'luks', 'cloop'] as const;

export type DiskFormat = (typeof DISK_FORMATS)[number];

export const isDiskFormat = (format: string): format is DiskFormat => (DISK_FORMATS as readonly string[]).includes(format);

export interface FormatFacts {
  /** The size the guest sees, from the size asked for. */
  readonly virtualSize: (requested: number) => number;
  /** The file's size on disk right after `qemu-img create`, without data (the backing file's name given). */
  readonly fileSize: (virtualSize: number, backingFile?: string) => number;
  /** The image can name a backing file (`-b`). */
  readonly backing: boolean;
  /** qemu-img cannot create it (a cloop image is written by hand, src/storage/cloop-header.ts). */
  readonly notCreated?: true;
}

const SECTOR = 512;
const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;
const same = (size: number): number => size;

/** vpc.c: calculate_geometry(), the cylinders × heads × sectors a size of that many sectors gets. */
function vpcGeometry(totalSectors: number): number {
  const total = Math.min(totalSectors, 65535 * 16 * 255);
  let secs: number;
  let heads: number;
  let cylsTimesHeads: number;
  if (total >= 65535 * 16 * 63) {
    [secs, heads] = [255, 16];
    cylsTimesHeads = Math.floor(total / secs);
  } else {
    secs = 17;
    cylsTimesHeads = Math.floor(total / secs);
    heads = Math.max(4, Math.ceil(cylsTimesHeads / 1024));
    if (cylsTimesHeads >= heads * 1024 || heads > 16) [secs, heads, cylsTimesHeads] = [31, 16, Math.floor(total / 31)];
    if (cylsTimesHeads >= heads * 1024) [secs, heads, cylsTimesHeads] = [63, 16, Math.floor(total / 63)];
  }
  return Math.floor(cylsTimesHeads / heads) * heads * secs;
}

/** vpc.c: calculate_rounded_image_size() without force-size: the first geometry that holds the size. */
function vpcVirtualSize(requested: number): number {
  const total = Math.floor(requested / SECTOR);
  let sectors = vpcGeometry(total);
  for (let i = 1; total > sectors; i++) sectors = vpcGeometry(total + i);
  return sectors * SECTOR;
}

/** vmdk.c: vmdk_init_extent() of a monolithicSparse image: header, descriptor, grain directories and tables. */
function vmdkFileSize(virtualSize: number): number {
  const grains = Math.ceil(virtualSize / SECTOR / 128);
  const gtCount = Math.ceil(grains / 512);
  const gdSectors = Math.ceil((gtCount * 4) / SECTOR);
  const gdOffset = 21 + gdSectors + 4 * gtCount;
  return roundUp(gdOffset + gdSectors + 4 * gtCount, 128) * SECTOR;
}

export const FORMAT_FACTS: Readonly<Record<DiskFormat, FormatFacts>> = {
  raw: { virtualSize: same, fileSize: same, backing: false },
  // qcow2.c: qcow2_co_create(): header, refcount table and block, L1 table (three clusters and a header's 8 bytes)
  // (the size in whole sectors; other cluster sizes: virtual-storage.ts)
  qcow2: { virtualSize: (size) => roundUp(size, SECTOR), fileSize: () => 196_616, backing: true },
  // qcow.c: qcow_co_create(): a 48-byte header and the backing name, then the L1 table (2 MiB an entry) in whole sectors
  qcow: {
    virtualSize: same,
    fileSize: (size, backing) => roundUp(48 + (backing?.length ?? 0), 8) + roundUp(Math.ceil(size / 2 ** 21) * 8, SECTOR),
    backing: true,
  },
  // qed.c: bdrv_qed_co_create(): the header cluster and a four-cluster L1 table
  qed: { virtualSize: same, fileSize: () => 5 * 65_536, backing: true },
  vmdk: { virtualSize: same, fileSize: vmdkFileSize, backing: true },
  // vpc.c: create_dynamic_disk(): footer copy, dynamic header, the block table (2 MiB a block) in whole sectors, footer
  vpc: { virtualSize: vpcVirtualSize, fileSize: (size) => 4 * SECTOR + roundUp(Math.ceil(size / SECTOR / 4096) * 4, SECTOR), backing: false },
  // vhdx.c: vhdx_co_create(): headers, regions, a 1 MiB log and the metadata, 8 MiB in all
  vhdx: { virtualSize: same, fileSize: () => 8 * 1024 * 1024, backing: false },
  // vdi.c: vdi_co_do_create(): the header sector, then the block map (1 MiB a block) in whole sectors
  vdi: { virtualSize: same, fileSize: (size) => SECTOR + roundUp(Math.ceil(size / 2 ** 20) * 4, SECTOR), backing: false },
  // parallels.c: parallels_co_create(): the header and catalog, padded to the first 1 MiB cluster
  parallels: { virtualSize: same, fileSize: () => 1024 * 1024, backing: false },
  // crypto.c: the LUKS header and key slots (aes-256-xts, sha256) before the payload
  luks: { virtualSize: same, fileSize: (size) => size + LUKS_PAYLOAD_OFFSET, backing: false },
  cloop: { virtualSize: same, fileSize: same, backing: false, notCreated: true },
};
