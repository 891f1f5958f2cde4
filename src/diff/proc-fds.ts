/**
 * How a process really holds its image files open, read from /proc: for each file descriptor on a
 * regular file (or block device) under /tmp, the access mode from fdinfo's `flags:` and the OFD
 * lock bytes from its `lock:` lines. QEMU's file-posix driver locks byte 100+i while it holds
 * perm i and byte 200+i while it does not share perm i.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import type { FdObservation, Observation } from './trace.js';

const PERM_NAMES = ['consistent-read', 'write', 'write-unchanged', 'resize', 'graph-mod'];
const LOCK_PERM_BASE = 100;
const LOCK_SHARED_BASE = 200;
const ACCESS_MODES = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'];
const EXTRA_FLAGS: readonly (readonly [number, string])[] = [
  [0o40000, 'O_DIRECT'],
  [0o4010000, 'O_SYNC'],
  [0o10000, 'O_DSYNC'],
  [0o4000, 'O_NONBLOCK'],
  [0o2000, 'O_APPEND'],
];
const S_IFMT = 0o170000;
const FILE_TYPES = [0o100000, 0o060000];

function lockLabel(offset: number): string {
  if (offset >= LOCK_PERM_BASE && offset < LOCK_PERM_BASE + PERM_NAMES.length) return `perm:${PERM_NAMES[offset - LOCK_PERM_BASE]}`;
  if (offset >= LOCK_SHARED_BASE && offset < LOCK_SHARED_BASE + PERM_NAMES.length) return `unshared:${PERM_NAMES[offset - LOCK_SHARED_BASE]}`;
  return `byte:${offset}`;
}

/** fdinfo `lock:` lines (`lock:\t1: OFDLCK ADVISORY READ -1 00:1a:1234 100 100`) as sorted labels. */
export function decodeLocks(lines: readonly string[]): string[] {
  const out = new Set<string>();
  for (const line of lines) {
    const parts = line.trim().split(/\s+/);
    const start = Number(parts.at(-2));
    const endText = parts.at(-1);
    const end = endText === 'EOF' ? start : Number(endText);
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      out.add(line.trim());
      continue;
    }
    const kind = parts[4] ?? '?';
    for (let offset = start; offset <= end; offset++) {
      const label = lockLabel(offset);
      out.add(kind === 'READ' ? label : `${label}(${kind})`);
    }
  }
  return [...out].sort();
}

function decodeFlags(flags: number): { mode: string; extra: string[] } {
  const extra = EXTRA_FLAGS.filter(([bit]) => (flags & bit) === bit).map(([, name]) => name);
  const withoutDsync = extra.includes('O_SYNC') ? extra.filter((f) => f !== 'O_DSYNC') : extra;
  return { mode: ACCESS_MODES[flags & 3] ?? '?', extra: withoutDsync };
}

function readFd(pid: number, fd: string): FdObservation | null {
  const link = `/proc/${pid}/fd/${fd}`;
  let target: string;
  let info: string[];
  try {
    target = readlinkSync(link);
    const path = target.replace(/ \(deleted\)$/, '');
    if (!path.startsWith('/tmp/')) return null;
    if (!FILE_TYPES.includes(statSync(link).mode & S_IFMT)) return null;
    info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n');
  } catch {
    return null;
  }
  const flags = parseInt(info.find((l) => l.startsWith('flags:'))?.split(/\s+/)[1] ?? '0', 8);
  const { mode, extra } = decodeFlags(flags);
  return {
    path: target,
    fd: Number(fd),
    mode,
    ...(extra.length > 0 ? { extra } : {}),
    flags: `0${flags.toString(8)}`,
    locks: decodeLocks(info.filter((l) => l.startsWith('lock:'))),
  };
}

/** The image files process `pid` holds open under /tmp, by path then fd. */
export function observeProcessFds(pid: number): Observation['fds'] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    return { error: (error as Error).message };
  }
  return fds
    .map((fd) => readFd(pid, fd))
    .filter((f): f is FdObservation => f !== null)
    .sort((a, b) => (a.path === b.path ? (a.fd ?? 0) - (b.fd ?? 0) : a.path < b.path ? -1 : 1));
}
