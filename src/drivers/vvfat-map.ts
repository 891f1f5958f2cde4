/**
 * Where a vvfat disk shows its directory's entries (block/vvfat.c: init_directories(),
 * read_directory()): clusters of 16 sectors from the root directory on (cluster2sector()), the
 * root directory first (512 entries on FAT12 and FAT16: two clusters; on FAT32 what its entries
 * take), then each entry in the order readdir() gave them, a file as many clusters as it holds
 * (one when empty), a directory its own. A read of a file's cluster opens the file and keeps it
 * open (open_file(): s->current_fd) until another file's or a directory's cluster is read, or
 * the node closes. Only the directory's own entries are placed: what a subdirectory holds comes
 * after all of them.
 */
import type { VvfatEntry } from '../graph/state-types.js';
import type { DirectoryEntry } from './driver.js';

const SECTOR = 512;
/** s->sectors_per_cluster */
const SECTORS_PER_CLUSTER = 16;
const CLUSTER = SECTORS_PER_CLUSTER * SECTOR;
/** sizeof(direntry_t) */
const DIRENTRY = 32;

/** vvfat_open(), init_directories(): the sector the root directory (cluster 0) starts at. */
function rootDirSector(fatType: number, floppy: boolean): number {
  const offsetToBootsector = floppy ? 0 : 0x3f;
  const type = fatType === 0 ? (floppy ? 12 : 16) : fatType;
  const secs = floppy ? (fatType === 0 ? 36 : type === 12 ? 18 : 36) : 63;
  const cyls = floppy ? 80 : type === 12 ? 64 : 1024;
  const heads = floppy ? 2 : 16;
  const sectorCount = cyls * heads * secs - offsetToBootsector;
  const i = 1 + (CLUSTER * 8) / type;
  const sectorsPerFat = Math.floor((sectorCount + i) / i);
  return offsetToBootsector + 1 + sectorsPerFat * 2;
}

/**
 * The directory's entries on the disk of that FAT type (0: the default) and floppy-ness, in the
 * order `entries` lists them (readdir()'s).
 */
export function vvfatMap(dir: string, entries: readonly DirectoryEntry[], fatType: number, floppy: boolean): VvfatEntry[] {
  const type = fatType === 0 ? (floppy ? 12 : 16) : fatType;
  // the volume label and one entry each (long names take more: an estimate for FAT32 only)
  const rootEntries = type === 32 ? entries.length + 1 : 0x02 * 0x10 * SECTORS_PER_CLUSTER;
  let cluster = Math.max(1, Math.ceil((rootEntries * DIRENTRY) / CLUSTER));
  const start = rootDirSector(fatType, floppy) * SECTOR;
  return entries.map((entry) => {
    const placed = { path: `${dir.replace(/\/+$/, '')}/${entry.name}`, directory: entry.directory, firstByte: start + cluster * CLUSTER };
    cluster += entry.directory ? 1 : Math.max(1, Math.ceil(entry.size / CLUSTER));
    return placed;
  });
}

/** The file a read of the disk's bytes [0, end) leaves open: the last entry it reached, if a file. */
export function fileLeftOpen(entries: readonly VvfatEntry[], end: number): string | undefined {
  const reached = entries.filter((e) => e.firstByte < end).at(-1);
  return reached && !reached.directory ? reached.path : undefined;
}
