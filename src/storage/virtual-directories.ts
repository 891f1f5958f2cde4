/**
 * The folders of a virtual storage: the ones `mkdir` made (and the scratch directory) and any
 * holding a file, what opendir() and bind() find there, and what readdir() lists.
 */
import { ERRNO_TEXT, type DirectoryEntry, type Storage } from './storage.js';
import { inspectFile, type VirtualFile } from './virtual-file.js';

/**
 * The storage's folders: the ones `mkdir` made (and the scratch directory) and any holding a file.
 * A folder is no regular file: a fuse export cannot mount on it.
 */
export function directoriesOf(
  table: Map<string, VirtualFile>,
): Required<Pick<Storage, 'directoryError' | 'socketBindError' | 'listDirectory'>> & { mkdir(path: string): void } {
  const directories = new Set<string>();
  const isDirectory = (path: string): boolean => directories.has(path) || [...table.keys()].some((file) => file.startsWith(`${path.replace(/\/+$/, '')}/`));
  return {
    mkdir(path) {
      directories.add(path);
      if (!table.has(path)) table.set(path, { format: 'raw', size: 0, regular: false });
    },
    // opendir(): a directory made or holding a file; a file is none
    directoryError(path) {
      if (isDirectory(path)) return null;
      return table.has(path) ? ERRNO_TEXT.ENOTDIR : ERRNO_TEXT.ENOENT;
    },
    // readdir(): the order a real file system gives is its own; a virtual folder lists in the order its entries were made
    listDirectory(path) {
      const prefix = `${path.replace(/\/+$/, '')}/`;
      const entries = new Map<string, DirectoryEntry>();
      for (const [file, facts] of table) {
        if (!file.startsWith(prefix) || file.length === prefix.length) continue;
        const [name, ...deeper] = file.slice(prefix.length).split('/');
        if (entries.has(name!)) continue;
        const inspected = inspectFile(facts, file);
        const directory = deeper.length > 0 || facts.regular === false;
        entries.set(name!, { name: name!, size: directory || 'error' in inspected ? 0 : inspected.size, directory });
      }
      return [...entries.values()];
    },
    // bind() needs the socket's folder
    socketBindError(path) {
      const folder = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      return folder === '' || isDirectory(folder) ? null : ERRNO_TEXT.ENOENT;
    },
  };
}

