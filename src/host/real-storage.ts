/**
 * Storage backed by the real files: opened (and closed at once) to learn whether the process may
 * open them in a mode, stat'ed and their header read. Never written, and opened without blocking
 * (a FIFO with no writer would otherwise hold the open forever).
 */
import { closeSync, constants, fstatSync, opendirSync, openSync, readSync, statSync } from 'node:fs';
import type { FdMode } from '../graph/types.js';
import { parseQcow2Header } from '../storage/qcow2-header.js';
import { parseImageHeader } from '../storage/image-headers.js';
import { nbdHandshakeSync } from './nbd-handshake.js';
import { type DirectoryEntry, ERRNO_TEXT, type FileFacts, type ImageHeader, type Storage } from '../storage/storage.js';

const HEADER_BYTES = 64 * 1024;

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && code in ERRNO_TEXT) return ERRNO_TEXT[code as keyof typeof ERRNO_TEXT];
  return (error as Error).message;
}

/** opendir(): why a directory cannot be read, or null. */
function directoryError(path: string): string | null {
  try {
    opendirSync(path).closeSync();
    return null;
  } catch (error) {
    return errnoText(error);
  }
}

/** readdir() in the file system's own order, with each entry's size (stat()). */
function listDirectory(path: string): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  let dir;
  try {
    dir = opendirSync(path);
  } catch {
    return entries;
  }
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      try {
        const stat = statSync(`${path}/${entry.name}`);
        entries.push({ name: entry.name, size: stat.size, directory: stat.isDirectory() });
      } catch {
        // read_directory() leaves out what stat() fails on (a dangling link)
      }
    }
  } finally {
    dir.closeSync();
  }
  return entries;
}

export function createRealStorage(): Storage {
  /** Images the simulated QEMU created: they exist for the simulator only. */
  const created = new Map<string, ImageHeader>();
  /** Backing file names change-backing-file wrote, kept here rather than in the real files. */
  const renamed = new Map<string, { backingFile: string; backingFormat: string }>();
  return {
    changeBackingFile(path, backingFile, backingFormat) {
      const made = created.get(path);
      if (made) created.set(path, { ...made, backingFile, backingFormat });
      else renamed.set(path, { backingFile, backingFormat });
    },
    create(path, header) {
      created.set(path, header);
    },
    nbdConnect: nbdHandshakeSync,
    // no connection is held open to a real server (a handshake only): none is known to have died
    nbdServerRunning: () => true,
    openError(path: string, mode: FdMode) {
      if (created.has(path)) return null;
      try {
        closeSync(openSync(path, (mode === 'O_RDWR' ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NONBLOCK));
        return null;
      } catch (error) {
        return errnoText(error);
      }
    },
    directoryError,
    listDirectory,
    inspect(path: string): FileFacts | { error: string } {
      const made = created.get(path);
      if (made) return { regular: true, size: made.virtualSize, header: made, identity: `created:${path}` };
      let fd: number;
      try {
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (error) {
        return { error: errnoText(error) };
      }
      try {
        const stat = fstatSync(fd);
        const buf = Buffer.alloc(stat.isFile() ? Math.min(HEADER_BYTES, stat.size) : 0);
        if (buf.length > 0) readSync(fd, buf, 0, buf.length, 0);
        const parsed = parseQcow2Header(buf);
        const header = parsed ? { ...parsed, ...renamed.get(path) } : parseImageHeader(buf, stat.size) ?? { format: 'raw' as const, virtualSize: stat.size };
        return {
          regular: stat.isFile(),
          size: stat.size,
          header,
          identity: `${stat.dev}:${stat.ino}`,
        };
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Whether a real path exists (for callers that pick a storage). */
export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
