/**
 * A scenario's setup steps done for real, in its scratch directory: images made with qemu-img and
 * written with qemu-io (as the daemon's user), file modes, a read-only bind mount, an immutable
 * file. Every path must lie under /tmp. `undo()` lifts the immutable flags and unmounts.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { SetupStep } from '../scenario/schema.js';
import { lookupUser, type Identity } from './identity.js';
import type { Json, SetupRecord } from './trace.js';

export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** The path, checked to lie under /tmp (through symlinks as far as they exist). */
export function underTmp(path: string): string {
  let existing = resolve(path);
  let rest = '';
  for (;;) {
    try {
      existing = realpathSync(existing) + rest;
      break;
    } catch {
      rest = `/${basename(existing)}${rest}`;
      existing = dirname(existing);
    }
  }
  if (existing !== '/tmp' && !existing.startsWith('/tmp/')) throw new SetupError(`path outside /tmp refused: ${path}`);
  return path;
}

function run(argv: readonly string[], cwd?: string): { rc: number; output: string } {
  try {
    const out = execFileSync(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, encoding: 'utf8' });
    return { rc: 0, output: out.trim() };
  } catch (error) {
    const e = error as { status?: number | null; stdout?: string; stderr?: string; message: string };
    return { rc: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message };
  }
}

const ERRNO_WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'file exists',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EROFS: 'read-only file system',
};

/** A file-system call of a setup step; its failure a SetupError that names the step and the path. */
function fsCall<T>(op: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof SetupError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new SetupError(`${op} ${path}: ${ERRNO_WHY[code] ?? (code || (error as Error).message.split('\n')[0])}`);
  }
}

export interface RealSetup {
  run(step: SetupStep): SetupRecord;
  undo(): void;
}

export function realSetup(identity: Identity, workdir: string): RealSetup {
  const mounts: string[] = [];
  const immutable: string[] = [];
  const must = (argv: readonly string[]): void => {
    const { rc, output } = run(argv);
    if (rc !== 0) throw new SetupError(`${argv.join(' ')} failed: ${output.replace(/\s*\n\s*/g, ' ')}`);
  };
  return {
    run(step) {
      const [op, arg] = Object.entries(step)[0] as [string, string | string[]];
      const args = Array.isArray(arg) ? arg : [arg];
      const record: { op: string; arg: Json; rc?: number; output?: string } = { op, arg: arg as Json };
      switch (op) {
        case 'qemu-img':
        case 'qemu-io': {
          for (const a of args) if (a.startsWith('/')) underTmp(a);
          const { rc, output } = run(identity.wrap([op, ...args]), workdir);
          record.rc = rc;
          if (output) record.output = output;
          if (rc !== 0) throw new SetupError(`${op} ${args[0] ?? ''} failed: ${output.replace(/\s*\n\s*/g, ' ')}`);
          break;
        }
        case 'mkdir':
          for (const dir of args) {
            fsCall(op, dir, () => {
              mkdirSync(underTmp(dir), { recursive: true });
              identity.own(dir);
            });
          }
          break;
        case 'touch':
          for (const file of args) {
            fsCall(op, file, () => {
              appendFileSync(underTmp(file), '');
              identity.own(file);
            });
          }
          break;
        case 'chmod':
          fsCall(op, args[0]!, () => chmodSync(underTmp(args[0]!), parseInt(args[1]!, 8)));
          break;
        case 'chown': {
          if (args.length < 2) throw new SetupError('chown needs a file and a user');
          const { uid, gid } = fsCall(op, args[0]!, () => lookupUser(args[1] ?? ''));
          fsCall(op, args[0]!, () => chownSync(underTmp(args[0]!), uid, gid));
          break;
        }
        case 'copy':
          fsCall(op, args[0]!, () => {
            copyFileSync(underTmp(args[0]!), underTmp(args[1]!));
            identity.own(args[1]!);
          });
          break;
        case 'ro-bind-mount': {
          const [source, target] = [underTmp(args[0]!), underTmp(args[1]!)];
          fsCall(op, target, () => mkdirSync(target, { recursive: true }));
          must(['mount', '--bind', source, target]);
          mounts.push(target);
          must(['mount', '-o', 'remount,bind,ro', target]);
          break;
        }
        case 'chattr-immutable':
          must(['chattr', '+i', underTmp(args[0]!)]);
          immutable.push(args[0]!);
          break;
        default:
          throw new SetupError(`setup step '${op}' cannot be done here`);
      }
      return record;
    },
    undo() {
      for (const file of immutable.reverse()) run(['chattr', '-i', file]);
      for (const target of mounts.reverse()) run(['umount', target]);
      immutable.length = 0;
      mounts.length = 0;
    },
  };
}
