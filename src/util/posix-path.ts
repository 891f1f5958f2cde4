/**
 * The few POSIX path operations the core needs, as pure functions (node:path's posix flavour,
 * without its reach into the process's working directory): the core runs anywhere.
 */

export const isAbsolutePath = (path: string): boolean => path.startsWith('/');

/** node:path's posix dirname(). */
export function dirnamePath(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  const dir = trimmed.slice(0, slash).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}

/**
 * `path` seen from directory `dir`, with `.` and `..` worked out: node:path's posix resolve(dir,
 * path) when `dir` is absolute; a relative `dir` stays relative (resolve() would prepend the
 * working directory, which a file opened later meets anyway).
 */
export function resolvePath(dir: string, path: string): string {
  const joined = isAbsolutePath(path) ? path : `${dir}/${path}`;
  const absolute = isAbsolutePath(joined);
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (!absolute) out.push('..');
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body || '.';
}
