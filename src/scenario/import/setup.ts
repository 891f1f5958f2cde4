/**
 * The files a transcript names, as the setup steps that make them (docs/scenario-format.md):
 * `qemu-img create` in an order where every backing file comes before the images over it, then a
 * `chmod` or `chattr-immutable` for a file QEMU could not open. The same steps make virtual files
 * for `permgraph run` and real ones for `permgraph diff`. The directory the images share is
 * written `$W` (the scenario's scratch directory), so that `diff` makes them under /tmp.
 */
import type { FileSpec } from './files.js';

export type SetupEntry =
  | { 'qemu-img': string[] }
  | { chmod: [string, string] }
  | { 'chattr-immutable': string }
  | { mkdir: string };

export interface BuiltSetup {
  readonly setup: SetupEntry[];
  /** Comments over setup entries, by index. */
  readonly comments: Record<number, string[]>;
}

const dirOf = (path: string): string => path.slice(0, Math.max(path.lastIndexOf('/'), 0)) || '/';

/** The directory every path lies under, or undefined when it is `/` or they share none. */
export function commonDirectory(paths: readonly string[]): string | undefined {
  if (!paths.length || !paths.every((p) => p.startsWith('/'))) return undefined;
  let dir = dirOf(paths[0]!);
  while (dir !== '/' && !paths.every((p) => p.startsWith(`${dir}/`))) dir = dirOf(dir);
  return dir === '/' ? undefined : dir;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value with the path `dir` written `$W` wherever a string names it or a path under it. */
export function rewriteDirectory<T>(value: T, dir: string): T {
  const pattern = new RegExp(`(?<![\\w./-])${escape(dir)}(?=/|$|[^\\w.-])`, 'g');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, () => '$W');
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) Object.defineProperty(out, key, { value: walk(inner), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** The files in an order where a backing file comes before the images over it. */
function ordered(files: Readonly<Record<string, FileSpec>>): string[] {
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (path: string): void => {
    if (out.includes(path) || visiting.has(path)) return;
    visiting.add(path);
    const backing = files[path]!['backing-file'];
    if (backing && Object.hasOwn(files, backing)) visit(backing);
    out.push(path);
  };
  Object.keys(files).forEach(visit);
  return out;
}

function createArgs(path: string, spec: FileSpec, files: Readonly<Record<string, FileSpec>>): string[] {
  const args = ['create', '-f', spec.format ?? 'raw'];
  const backing = spec['backing-file'];
  if (backing) {
    args.push('-b', backing, '-F', spec['backing-format'] ?? files[backing]?.format ?? 'qcow2');
    if (!Object.hasOwn(files, backing)) args.push('-u');
  }
  return [...args, path, String(spec.size)];
}

/** A file QEMU could not open: the step that makes it so, or a comment that none can. */
function refusal(path: string, why: boolean | string, reading: boolean): SetupEntry | string {
  if (why === false || why === 'Permission denied') return { chmod: [path, reading ? '0000' : '0444'] };
  if (why === 'Operation not permitted' && !reading) return { 'chattr-immutable': path };
  return `no setup step makes a file refuse with '${String(why)}': not declared`;
}

export function setupSteps(files: Readonly<Record<string, FileSpec>>, comments: Readonly<Record<string, string[]>>, workdir?: string): BuiltSetup {
  const setup: SetupEntry[] = [];
  const notes: Record<number, string[]> = {};
  const dirs = new Set<string>();
  for (const path of ordered(files)) {
    const dir = dirOf(path);
    if (workdir && dir !== workdir && dir.startsWith(`${workdir}/`) && !dirs.has(dir)) {
      dirs.add(dir);
      setup.push({ mkdir: dir });
    }
    const spec = files[path]!;
    const said = [...(comments[path] ?? [])];
    const index = setup.push({ 'qemu-img': createArgs(path, spec, files) }) - 1;
    for (const [why, reading] of [[spec.writable, false], [spec.readable, true]] as const) {
      if (why === undefined || why === true) continue;
      const step = refusal(path, why, reading);
      if (typeof step === 'string') said.push(step);
      else setup.push(step);
    }
    if (said.length) notes[index] = said;
  }
  return { setup, comments: notes };
}
