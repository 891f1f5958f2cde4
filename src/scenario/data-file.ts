/**
 * Reading a data file (a scenario, a universe, a recorded trace) as text, bounded: a missing,
 * unreadable, non-regular or too large file is a ScenarioError that says why, found without
 * reading it all. Parsing the text is data-text.ts's job, checking the data data-schema.ts's.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { ScenarioError } from './data-error.js';
import { MAX_DATA_FILE_BYTES, MAX_DATA_FILE_TEXT } from './data-limits.js';

const CHUNK_BYTES = 64 * 1024;

const ERRNO_WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
};

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'not a regular file (a FIFO)';
  if (stats.isCharacterDevice()) return 'not a regular file (a character device)';
  if (stats.isBlockDevice()) return 'not a regular file (a block device)';
  if (stats.isSocket()) return 'not a regular file (a socket)';
  return 'not a regular file';
}

function cannotRead(file: string, error: unknown): ScenarioError {
  if (error instanceof ScenarioError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why = (code && ERRNO_WHY[code]) ?? (code || (error as Error).message);
  return new ScenarioError(`${file}: cannot read: ${why}`);
}

/**
 * The file's text, read in chunks and never more than MAX_DATA_FILE_BYTES of it: a missing,
 * unreadable or non-regular file (a directory, a FIFO, /dev/zero) or a larger one is a
 * ScenarioError, found without reading it all.
 */
export function readDataFile(file: string): string {
  const tooLarge = (): ScenarioError => new ScenarioError(`${file}: cannot read: larger than ${MAX_DATA_FILE_TEXT}`);
  let fd: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new ScenarioError(`${file}: cannot read: ${kindOf(stats)}`);
    if (stats.size > MAX_DATA_FILE_BYTES) throw tooLarge();
    // O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(file, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new ScenarioError(`${file}: cannot read: ${kindOf(stats)}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_DATA_FILE_BYTES) throw tooLarge();
      chunks.push(n === CHUNK_BYTES ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (error) {
    throw cannotRead(file, error);
  } finally {
    closeSync(fd);
  }
}
