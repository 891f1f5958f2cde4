/**
 * A scenario's setup steps done for real, in its scratch directory: images made with qemu-img and
 * written with qemu-io (as the daemon's user), file modes, a read-only bind mount, an immutable
 * file. Every path must lie under /tmp. `undo()` lifts the immutable flags and unmounts.
 */
import { qemuEnvironment } from './qemu-environment.js';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { SetupStep, StorageStep } from '../scenario/schema.js';
import { realNbdServers, type RealNbdServers } from './real-nbd.js';
import { lookupUser, type Identity } from './identity.js';
import type { Json, SetupRecord } from './trace.js';
import { toolBeside } from './versions.js';

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
    const out = execFileSync(argv[0]!, argv.slice(1), { cwd, env: qemuEnvironment(argv[0]), stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, encoding: 'utf8' });
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
  /**
   * A step between commands that changes the storage or a server: chmod, chattr (undo() lifts what
   * is left), an NBD server started or stopped.
   */
  change(step: StorageStep): void;
  undo(): void;
}

/** Where the steps run, as whom, and what `undo()` has to lift. */
interface SetupContext {
  readonly identity: Identity;
  readonly workdir: string;
  /** A QEMU program of the daemon's own installation. */
  readonly tool: (program: string) => string;
  readonly mounts: string[];
  readonly immutable: string[];
  readonly nbd: RealNbdServers;
}

type StepRecord = { op: string; arg: Json; rc?: number; output?: string };

function must(argv: readonly string[]): void {
  const { rc, output } = run(argv);
  if (rc !== 0) throw new SetupError(`${argv.join(' ')} failed: ${output.replace(/\s*\n\s*/g, ' ')}`);
}

/** qemu-img or qemu-io, as the daemon's user in the scratch directory; its status and output recorded. */
function runQemuTool(op: string, args: readonly string[], { identity, workdir, tool }: SetupContext, record: StepRecord): void {
  for (const a of args) if (a.startsWith('/')) underTmp(a);
  const { rc, output } = run(identity.wrap([tool(op), ...args]), workdir);
  record.rc = rc;
  if (output) record.output = output;
  if (rc !== 0) throw new SetupError(`${op} ${args[0] ?? ''} failed: ${output.replace(/\s*\n\s*/g, ' ')}`);
}

function makeDirs(dirs: readonly string[], { identity }: SetupContext): void {
  for (const dir of dirs) {
    fsCall('mkdir', dir, () => {
      mkdirSync(underTmp(dir), { recursive: true });
      identity.own(dir);
    });
  }
}

function touchFiles(files: readonly string[], { identity }: SetupContext): void {
  for (const file of files) {
    fsCall('touch', file, () => {
      appendFileSync(underTmp(file), '');
      identity.own(file);
    });
  }
}

function changeMode([file, mode]: readonly string[]): void {
  fsCall('chmod', file!, () => chmodSync(underTmp(file!), parseInt(mode!, 8)));
}

function changeOwner(args: readonly string[]): void {
  if (args.length < 2) throw new SetupError('chown needs a file and a user');
  const { uid, gid } = fsCall('chown', args[0]!, () => lookupUser(args[1] ?? ''));
  fsCall('chown', args[0]!, () => chownSync(underTmp(args[0]!), uid, gid));
}

function copyFile([from, to]: readonly string[], { identity }: SetupContext): void {
  fsCall('copy', from!, () => {
    copyFileSync(underTmp(from!), underTmp(to!));
    identity.own(to!);
  });
}

function readOnlyBindMount(args: readonly string[], { mounts }: SetupContext): void {
  const [source, target] = [underTmp(args[0]!), underTmp(args[1]!)];
  fsCall('ro-bind-mount', target, () => mkdirSync(target, { recursive: true }));
  must(['mount', '--bind', source, target]);
  mounts.push(target);
  must(['mount', '-o', 'remount,bind,ro', target]);
}

function makeImmutable([file]: readonly string[], { immutable }: SetupContext): void {
  must(['chattr', '+i', underTmp(file!)]);
  immutable.push(file!);
}

/** The setup steps other than qemu-img and qemu-io, by name. */
const SETUP_ACTIONS = new Map<string, (args: readonly string[], context: SetupContext) => void>([
  ['mkdir', makeDirs],
  ['touch', touchFiles],
  ['chmod', changeMode],
  ['chown', changeOwner],
  ['copy', copyFile],
  ['ro-bind-mount', readOnlyBindMount],
  ['chattr-immutable', makeImmutable],
]);

function runSetupStep(step: SetupStep, context: SetupContext): SetupRecord {
  const [op, arg] = Object.entries(step)[0] as [string, string | string[]];
  const args = Array.isArray(arg) ? arg : [arg];
  const record: StepRecord = { op, arg: arg as Json };
  for (const program of ['qemu-nbd', 'qemu-storage-daemon'] as const) {
    if (!(program in step)) continue;
    const { args, wait_for: waitFor } = (step as Record<typeof program, { args: string[]; wait_for?: string }>)[program];
    for (const a of args) if (a.startsWith('/')) underTmp(a);
    context.nbd.start(program, args, waitFor);
    return record;
  }
  if (op === 'qemu-img' || op === 'qemu-io') {
    runQemuTool(op, args, context, record);
    return record;
  }
  const action = SETUP_ACTIONS.get(op);
  if (!action) throw new SetupError(`setup step '${op}' cannot be done here`);
  action(args, context);
  return record;
}

/** The setup of one run; `daemon` is the qemu-storage-daemon binary, whose qemu-img, qemu-io and qemu-nbd are used. */
export function realSetup(identity: Identity, workdir: string, daemon?: string): RealSetup {
  const tool = (program: string): string => toolBeside(daemon, program);
  const context: SetupContext = { identity, workdir, tool, mounts: [], immutable: [], nbd: realNbdServers(identity, workdir, tool) };
  const chattr = (file: string, flag: '+i' | '-i'): void => {
    must(['chattr', flag, underTmp(file)]);
    const listed = context.immutable.indexOf(file);
    if (flag === '+i' && listed < 0) context.immutable.push(file);
    if (flag === '-i' && listed >= 0) context.immutable.splice(listed, 1);
  };
  return {
    run: (step) => runSetupStep(step, context),
    change(step) {
      if ('chmod' in step) changeMode(step.chmod);
      else if ('chattr' in step) chattr(step.chattr[0], step.chattr[1]);
      else if ('qemu-nbd' in step) runSetupStep({ 'qemu-nbd': step['qemu-nbd'] }, context);
      else if ('qemu-storage-daemon' in step) runSetupStep({ 'qemu-storage-daemon': step['qemu-storage-daemon'] }, context);
      else context.nbd.stop(step['qemu-nbd-stop']);
    },
    undo() {
      context.nbd.stopAll();
      for (const file of context.immutable.reverse()) run(['chattr', '-i', file]);
      // a daemon killed a moment ago may still hold the mount: then it goes when it is let go of
      for (const target of context.mounts.reverse()) if (run(['umount', target]).rc !== 0) run(['umount', '-l', target]);
      context.immutable.length = 0;
      context.mounts.length = 0;
    },
  };
}
