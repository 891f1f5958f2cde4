/**
 * What the simulator asks of the storage under file nodes. It only ever inspects: nothing is
 * written. Errors are the C library's strerror() texts, which QEMU puts into its messages.
 */
import type { FdMode } from '../graph/types.js';
import type { Qcow2Facts } from '../graph/node-header.js';
import type { NbdAddress, NbdAnswer } from '../drivers/nbd-server.js';
import type { DirectoryEntry } from '../drivers/driver.js';

export type { DirectoryEntry };
import type { DiskFormat } from './image-formats.js';

/** The image formats a storage can create (bdrv_img_create() of drive-mirror and drive-backup). */
export const IMAGE_FORMATS = ['raw', 'qcow2'] as const;

export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const isImageFormat = (format: string): format is ImageFormat => (IMAGE_FORMATS as readonly string[]).includes(format);

export interface ImageHeader {
  readonly format: DiskFormat;
  /** The size the guest sees (the qcow2 header's size, or the file's size for raw). */
  readonly virtualSize: number;
  /** The backing file named in a qcow2 header, as written there. */
  readonly backingFile?: string;
  readonly backingFormat?: string;
  /** A qcow2 header's version, cluster size and feature bits. */
  readonly qcow2?: Qcow2Facts;
  /** The password a LUKS image's key slot opens with (the secret qemu-img create was given). */
  readonly password?: string;
}

/** A stretch of a file, [start, end) in bytes. */
export type Extent = readonly [number, number];

export interface FileFacts {
  /** Regular file (QEMU's `file` driver refuses anything else). */
  readonly regular: boolean;
  readonly size: number;
  readonly header: ImageHeader;
  /** Same value for two names of one file (their locks meet). */
  readonly identity: string;
  /** Where the file holds data (lseek(SEEK_DATA)), in order; absent: not known, all of it. */
  readonly data?: readonly Extent[];
}

export interface Storage {
  /** Why open(path, mode) would fail (strerror text), or null when it would succeed. */
  openError(path: string, mode: FdMode): string | null;
  /** What the file holds, or the strerror text of why it cannot be looked at. */
  inspect(path: string): FileFacts | { readonly error: string };
  /**
   * A new image as drive-mirror / drive-backup would create it (bdrv_img_create()). Kept by the
   * storage in memory: real files are never written. `data`: where the new file holds data
   * (absent: all of it).
   */
  create(path: string, header: ImageHeader, data?: readonly Extent[]): void;
  /**
   * bdrv_change_backing_file() wrote a new backing file name (and format) into the qcow2 header
   * of the image at `path`: later reads of the header see it. Real files are not written: the
   * storage keeps the change in memory.
   */
  changeBackingFile?(path: string, backingFile: string, backingFormat: string): void;
  /** Why opendir(path) fails (strerror text), or null when the directory can be read; absent: every directory can. */
  directoryError?(path: string): string | null;
  /** What readdir() gives of a directory, in its order, "." and ".." left out; absent: not known. */
  listDirectory?(path: string): readonly DirectoryEntry[];
  /** Why a FUSE export cannot be mounted on `mountpoint` (fuse_session_mount()), or null when it can. */
  fuseMountError?(mountpoint: string): string | null;
  /** Why bind() of a unix socket at `path` would fail (strerror text), or null when it would succeed. */
  socketBindError?(path: string): string | null;
  /**
   * An NBD client's connection and negotiation with the server at `address` for the export
   * `exportName` ('' when the client names none): what the server answered, or why it did not.
   */
  nbdConnect(address: NbdAddress, exportName: string): NbdAnswer;
  /** Whether the server that gave `serverId` in a negotiation still runs (its connections live). */
  nbdServerRunning(serverId: string): boolean;
  /**
   * The graph's last client of that server has gone (its node closed): a server that ends after
   * its last client (qemu-nbd without -t) ends now.
   */
  nbdLastClientGone?(serverId: string): void;
  /**
   * The lock bytes other processes hold on the file of that identity (a `qemu-nbd` serving it):
   * each holder's perm and shared, as file-posix's locks show them.
   */
  externalLocks?(identity: string): readonly LockHolder[];
}

export interface LockHolder {
  readonly perm: number;
  readonly shared: number;
}

export const ERRNO_TEXT = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  ENODEV: 'No such device',
  EACCES: 'Permission denied',
  EROFS: 'Read-only file system',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
} as const;
