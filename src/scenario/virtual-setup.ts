/**
 * Setup steps read as facts about virtual files, so a scenario written for the real daemon runs on
 * the simulator alone: `qemu-img create -f qcow2 -b base -F qcow2 top 64M` declares an image,
 * `chmod F 0444` makes it unwritable, a read-only bind mount or `chattr +i` refuse writes with
 * their own errno texts. Nothing touches the disk.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { createVirtualStorage, type VirtualFile, type VirtualStorage } from '../storage/virtual-storage.js';
import { ERRNO_TEXT } from '../storage/storage.js';
import { DISK_FORMATS, FORMAT_FACTS, isDiskFormat } from '../storage/image-formats.js';
import type { Scenario, SetupStep } from './schema.js';
import { ScenarioError } from './load.js';
import { qemuIo } from './virtual-qemu-io.js';
import { parseSize } from './sizes.js';
import { qcow2CreateOptions } from './qcow2-options.js';
import { clipped, firstBlock } from '../storage/status-run.js';
import { chmodVirtual, startVirtualNbd } from './storage-steps.js';

/** The size of a virtual file that was declared without one. */
const DEFAULT_VIRTUAL_SIZE = 64 * 1024 ** 2;

/**
 * The value with `from` written as `to` in every string (and key, unless `keys` is false),
 * literally: `to` may hold `$&`, `$'` or quotes (a scenario's name does), which mean nothing here.
 */
export function replaceInStrings<T>(value: T, from: string, to: string, keys = true): T {
  const literal = (text: string): string => text.replaceAll(from, () => to);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return literal(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [keys ? literal(k) : k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** `$W` in a scenario stands for its scratch directory. */
export function substitute<T>(value: T, workdir: string): T {
  return replaceInStrings(value, '$W', workdir);
}

/** `--object secret,id=ID,data=TEXT` and `-o key-secret=ID`: the password a LUKS image is created with. */
function createPassword(opts: Readonly<Record<string, string>>, where: string): string {
  const pairs = (text = ''): Map<string, string> => new Map(text.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const secretId = pairs(opts['-o']).get('key-secret');
  const object = pairs(opts['--object']);
  if (secretId === undefined || object.get('id') !== secretId || object.get('data') === undefined) {
    throw new ScenarioError(`${where}: qemu-img create -f luks needs --object secret,id=ID,data=… and -o key-secret=ID`);
  }
  return object.get('data')!;
}

function qemuImg(storage: VirtualStorage, args: readonly string[], where: string): void {
  const [sub, ...rest] = args;
  const opts: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (/^(-[fbFo]|--object)$/.test(arg)) opts[arg] = [opts[arg], rest[++i] ?? ''].filter(Boolean).join(',');
    else if (arg === '-q' || arg === '-u') continue;
    else positional.push(arg);
  }
  const [file, size] = positional;
  if (!file) throw new ScenarioError(`${where}: qemu-img ${sub} needs a file name`);
  const sizeOf = (text: string): number => {
    // qemu-img resize also takes a change: +1M, -1M
    const m = (sub === 'resize' ? /^([+-]?)(\d+(?:\.\d+)?[kKMGT]?)$/ : /^()(\d+(?:\.\d+)?[kKMGT]?)$/).exec(text);
    const bytes = m ? parseSize(m[2]!) : NaN;
    if (!Number.isSafeInteger(bytes)) throw new ScenarioError(`${where}: qemu-img ${sub}: invalid size '${text}' (a size like 64M)`);
    return m![1] === '-' ? -bytes : bytes;
  };
  if (sub === 'create') {
    const format = opts['-f'] ?? 'raw';
    if (!isDiskFormat(format) || FORMAT_FACTS[format].notCreated) throw new ScenarioError(`${where}: only ${DISK_FORMATS.filter((f) => !FORMAT_FACTS[f].notCreated).join(', ')} images can be simulated, not '${format}'`);
    const backing = opts['-b'];
    if (backing && !FORMAT_FACTS[format].backing) throw new ScenarioError(`${where}: a ${format} image names no backing file`);
    const backingPath = backing && !isAbsolute(backing) ? join(dirname(file), backing) : backing;
    const inherited = backingPath ? storage.files.get(backingPath)?.size : undefined;
    if (!size && inherited === undefined) throw new ScenarioError(`${where}: qemu-img create needs a size`);
    const qcow2 = format === 'qcow2' ? qcow2CreateOptions(opts['-o'], where) : undefined;
    const password = format === 'luks' ? createPassword(opts, where) : undefined;
    const virtualSize = FORMAT_FACTS[format].virtualSize(size ? sizeOf(size) : inherited!);
    // raw_co_create(): with no preallocation, the file's first block is written
    const preallocated = /(^|,)preallocation=(full|falloc)(,|$)/.test(opts['-o'] ?? '');
    storage.put(file, {
      format,
      size: virtualSize,
      ...(format === 'raw' && !preallocated ? { data: firstBlock(virtualSize) } : {}),
      ...(qcow2 ? { qcow2 } : {}),
      ...(backing ? { backingFile: backing } : {}),
      ...(opts['-F'] ? { backingFormat: opts['-F'] } : {}),
      ...(password !== undefined ? { password } : {}),
    });
  } else if (sub === 'resize') {
    const image = storage.files.get(file);
    if (!image) throw new ScenarioError(`${where}: qemu-img resize: no such file '${file}'`);
    if (size === undefined) throw new ScenarioError(`${where}: qemu-img resize needs a size`);
    const change = sizeOf(size);
    const next = /^[+-]/.test(size) ? (image.size ?? DEFAULT_VIRTUAL_SIZE) + change : change;
    if (next < 0) throw new ScenarioError(`${where}: qemu-img resize: the size would be negative`);
    // handle_aiocb_truncate(): a file grown from nothing gets its first block written
    const data = (image.size ?? DEFAULT_VIRTUAL_SIZE) === 0 ? firstBlock(next) : image.data && clipped(image.data, next);
    storage.update(file, { size: next, ...(data && (image.format ?? 'raw') === 'raw' ? { data } : {}) });
  } else {
    throw new ScenarioError(`${where}: 'qemu-img ${sub}' cannot be simulated`);
  }
}

function applyStep(storage: VirtualStorage, step: SetupStep, where: string): void {
  if ('qemu-nbd' in step) return startVirtualNbd(storage, step['qemu-nbd'].args, where);
  if ('qemu-storage-daemon' in step) return startVirtualNbd(storage, step['qemu-storage-daemon'].args, where, 'qemu-storage-daemon');
  const [op, raw] = Object.entries(step)[0] as [string, string | string[]];
  const args = Array.isArray(raw) ? raw : [raw];
  const need = (file: string): VirtualFile => {
    const found = storage.files.get(file);
    if (!found) throw new ScenarioError(`${where}: ${op}: no such file '${file}'`);
    return found;
  };
  switch (op) {
    case 'qemu-img':
      return qemuImg(storage, args, where);
    case 'qemu-io':
      return qemuIo(storage, args, where);
    case 'mkdir':
      for (const dir of args) if (!dir.startsWith('-')) storage.mkdir(dir);
      return;
    case 'chown':
      return; // owners do not change what the permission model sees
    case 'touch':
      for (const file of args) if (!storage.files.has(file)) storage.put(file, { format: 'raw', size: 0, data: [] });
      return;
    case 'chmod':
      need(args[0]!);
      return chmodVirtual(storage, args[0]!, args[1]!);
    case 'copy':
      storage.put(args[1]!, need(args[0]!));
      return;
    case 'ro-bind-mount': {
      const [source, target] = args as [string, string];
      for (const [path, file] of [...storage.files]) {
        if (path.startsWith(`${source}/`)) {
          storage.put(`${target}${path.slice(source.length)}`, { ...file, writable: ERRNO_TEXT.EROFS });
        }
      }
      return;
    }
    case 'chattr-immutable':
      need(args[0]!);
      return storage.update(args[0]!, { writable: ERRNO_TEXT.EPERM });
    default:
      throw new ScenarioError(`${where}: setup step '${op}' cannot be simulated`);
  }
}

/** The virtual files a scenario declares and its setup steps make. */
export function virtualStorageFor(scenario: Scenario, workdir: string, file: string): VirtualStorage {
  const storage = createVirtualStorage();
  storage.mkdir(workdir);
  for (const [path, spec] of Object.entries(substitute(scenario.files ?? {}, workdir))) {
    storage.put(path, {
      ...(spec.format ? { format: spec.format } : {}),
      ...(spec.size !== undefined ? { size: parseSize(spec.size) } : {}),
      ...(spec['backing-file'] ? { backingFile: spec['backing-file'] } : {}),
      ...(spec['backing-format'] ? { backingFormat: spec['backing-format'] } : {}),
      ...(spec.writable !== undefined ? { writable: spec.writable } : {}),
      ...(spec.readable !== undefined ? { readable: spec.readable } : {}),
    });
  }
  substitute(scenario.setup ?? [], workdir).forEach((step, i) => applyStep(storage, step, `${file}: setup[${i}]`));
  return storage;
}
