/**
 * Storage made of declared files: what `qemu-img create` and `chmod` would have left on disk,
 * described as data. A virtual file answers exactly as a real one would.
 */
import type { FdMode } from '../graph/types.js';
import { ERRNO_TEXT, type FileFacts, type ImageFormat, type Storage } from './storage.js';

export interface VirtualFile {
  readonly format?: ImageFormat;
  /** The guest-visible size in bytes (default 64 MiB). */
  readonly size?: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
  /** false, or the strerror text open(O_RDWR) fails with ('Permission denied' for false). */
  readonly writable?: boolean | string;
  /** false, or the strerror text open(O_RDONLY) fails with. */
  readonly readable?: boolean | string;
  /** A directory or device rather than a regular file. */
  readonly regular?: boolean;
  /** `chattr +i`: open(O_RDWR) fails with 'Operation not permitted', whatever the mode. */
  readonly immutable?: boolean;
  /** A qcow2 image's size on disk once data was written to it (`qemu-io` in a setup). */
  readonly fileSize?: number;
  /** The data clusters written to a qcow2 image, in order. */
  readonly clusters?: readonly number[];
}

export interface VirtualStorage extends Storage {
  readonly files: ReadonlyMap<string, VirtualFile>;
  /** Declares or replaces a file. */
  put(path: string, file: VirtualFile): void;
  /** Changes some facts of a file (chmod, a read-only mount, …). */
  update(path: string, change: Partial<VirtualFile>): void;
  remove(path: string): void;
}

const DEFAULT_SIZE = 64 * 1024 * 1024;
const QCOW2_FILE_SIZE = 196_616; // what `qemu-img create -f qcow2` of QEMU 7.2 leaves on disk

function refusal(flag: boolean | string | undefined): string | null {
  if (flag === undefined || flag === true) return null;
  return flag === false ? ERRNO_TEXT.EACCES : flag;
}

export function createVirtualStorage(
  files: Readonly<Record<string, VirtualFile>> = {},
): VirtualStorage {
  const table = new Map<string, VirtualFile>(Object.entries(files));
  return {
    files: table,
    put(path, file) {
      table.set(path, file);
    },
    update(path, change) {
      const file = table.get(path);
      if (!file) throw new Error(`no virtual file '${path}'`);
      table.set(path, { ...file, ...change });
    },
    remove(path) {
      table.delete(path);
    },
    create(path, header) {
      table.set(path, {
        format: header.format,
        size: header.virtualSize,
        ...(header.backingFile !== undefined ? { backingFile: header.backingFile } : {}),
        ...(header.backingFormat !== undefined ? { backingFormat: header.backingFormat } : {}),
      });
    },
    openError(path: string, mode: FdMode) {
      const file = table.get(path);
      if (!file) return ERRNO_TEXT.ENOENT;
      if (mode === 'O_RDONLY') return refusal(file.readable);
      return refusal(file.readable) ?? (file.immutable ? ERRNO_TEXT.EPERM : refusal(file.writable));
    },
    inspect(path: string): FileFacts | { error: string } {
      const file = table.get(path);
      if (!file) return { error: ERRNO_TEXT.ENOENT };
      const readable = refusal(file.readable);
      if (readable) return { error: readable };
      const format = file.format ?? 'raw';
      const virtualSize = file.size ?? DEFAULT_SIZE;
      return {
        regular: file.regular ?? true,
        size: file.fileSize ?? (format === 'qcow2' ? QCOW2_FILE_SIZE : virtualSize),
        header: {
          format,
          virtualSize,
          ...(file.backingFile !== undefined ? { backingFile: file.backingFile } : {}),
          ...(file.backingFormat !== undefined ? { backingFormat: file.backingFormat } : {}),
        },
        identity: `virtual:${path}`,
      };
    },
  };
}
