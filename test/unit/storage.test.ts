/**
 * The storage under file nodes: virtual files declared as data, and real files looked at (never
 * written). Open errors are strerror() texts, which QEMU puts into `Could not open '<f>': <text>`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRealStorage, pathExists } from '../../src/host/real-storage.js';
import { ERRNO_TEXT } from '../../src/storage/storage.js';
import { QCOW2_DEFAULTS } from '../../src/graph/node-header.js';
import { createVirtualStorage } from '../../src/storage/virtual-storage.js';
import { hasCommand, isRoot, REQUIRE_ALL } from '../support/environment.js';

const MiB = 1024 * 1024;

describe('strerror texts', () => {
  const why = hasCommand('python3') ? null : 'needs python3 to ask the C library';
  if (why && REQUIRE_ALL) throw new Error(`PERMGRAPH_REQUIRE_ALL=1 but this test ${why}`);
  it.skipIf(why)(`are the C library's strerror() words${why ? ` (skipped: ${why})` : ''}`, () => {
    const script = `import errno, json, os, sys\nprint(json.dumps({n: os.strerror(getattr(errno, n)) for n in sys.argv[1:]}))`;
    const libc = JSON.parse(execFileSync('python3', ['-c', script, ...Object.keys(ERRNO_TEXT)], { encoding: 'utf8' })) as unknown;
    expect(ERRNO_TEXT).toEqual(libc);
  });
});

describe('virtual storage', () => {
  const files = () =>
    createVirtualStorage({
      '/a.img': { format: 'raw', size: MiB },
      '/default.img': {},
      '/ro.img': { writable: false },
      '/rofs.img': { writable: 'Read-only file system' },
      '/immutable.img': { writable: 'Operation not permitted' },
      '/secret.img': { readable: false },
      '/gone.img': { readable: 'No such file or directory' },
      '/dev/sdz': { regular: false, size: 4 * MiB },
      '/top.qcow2': { format: 'qcow2', size: 4 * MiB, backingFile: 'base.qcow2', backingFormat: 'qcow2' },
    });

  it.each<[string, 'O_RDONLY' | 'O_RDWR', string | null]>([
    ['/a.img', 'O_RDONLY', null],
    ['/a.img', 'O_RDWR', null],
    ['/ro.img', 'O_RDONLY', null],
    ['/ro.img', 'O_RDWR', 'Permission denied'],
    ['/rofs.img', 'O_RDWR', 'Read-only file system'],
    ['/immutable.img', 'O_RDWR', 'Operation not permitted'],
    ['/secret.img', 'O_RDONLY', 'Permission denied'],
    ['/secret.img', 'O_RDWR', 'Permission denied'],
    ['/gone.img', 'O_RDONLY', 'No such file or directory'],
    ['/none', 'O_RDONLY', 'No such file or directory'],
    ['/none', 'O_RDWR', 'No such file or directory'],
  ])('open(%s, %s) gives %j (null: it opens)', (path, mode, error) => {
    expect(files().openError(path, mode)).toBe(error);
  });

  it('describes a raw image: its size is the file size, 64 MiB unless given', () => {
    const storage = files();
    expect(storage.inspect('/a.img')).toEqual({ regular: true, size: MiB, header: { format: 'raw', virtualSize: MiB }, identity: 'virtual:/a.img' });
    expect(storage.inspect('/default.img')).toEqual({ regular: true, size: 64 * MiB, header: { format: 'raw', virtualSize: 64 * MiB }, identity: 'virtual:/default.img' });
    expect(storage.inspect('/dev/sdz')).toEqual({ regular: false, size: 4 * MiB, header: { format: 'raw', virtualSize: 4 * MiB }, identity: 'virtual:/dev/sdz' });
  });

  it('describes a qcow2 image as qemu-img create leaves it: 192 KiB and its L1 table on disk, the header names size and backing; no cluster past them', () => {
    expect(files().inspect('/top.qcow2')).toEqual({
      regular: true,
      size: 196_616,
      header: { format: 'qcow2', virtualSize: 4 * MiB, backingFile: 'base.qcow2', backingFormat: 'qcow2', qcow2: { ...QCOW2_DEFAULTS, layout: [] } },
      identity: 'virtual:/top.qcow2',
    });
  });

  it("tells where a written qcow2 image's file holds data: its first clusters and the L1 table's block, a hole, then what its writes allocated", () => {
    const storage = createVirtualStorage({ '/w.qcow2': { format: 'qcow2', size: MiB, clusters: [0, 1], fileSize: 7 * 64 * 1024 } });
    const c = 64 * 1024;
    expect(storage.inspect('/w.qcow2')).toMatchObject({ size: 7 * c, data: [[0, 3 * c + 4096], [4 * c, 7 * c]] });
  });

  it('cannot look into a missing or unreadable file', () => {
    expect(files().inspect('/none')).toEqual({ error: 'No such file or directory' });
    expect(files().inspect('/secret.img')).toEqual({ error: 'Permission denied' });
  });

  it('changes as setup steps change it: update, put, remove, create', () => {
    const storage = files();
    storage.update('/a.img', { writable: false });
    expect(storage.openError('/a.img', 'O_RDWR')).toBe('Permission denied');
    expect(storage.files.get('/a.img')).toEqual({ format: 'raw', size: MiB, writable: false });
    storage.update('/a.img', { writable: true });
    expect(storage.openError('/a.img', 'O_RDWR')).toBeNull();
    expect(() => storage.update('/nope', { writable: false })).toThrow("no virtual file '/nope'");

    storage.put('/new.img', { size: 512 });
    expect(storage.inspect('/new.img')).toEqual({ regular: true, size: 512, header: { format: 'raw', virtualSize: 512 }, identity: 'virtual:/new.img' });
    storage.remove('/new.img');
    expect(storage.openError('/new.img', 'O_RDONLY')).toBe('No such file or directory');

    storage.create('/made.qcow2', { format: 'qcow2', virtualSize: 2 * MiB, backingFile: '/top.qcow2', backingFormat: 'qcow2' });
    expect(storage.files.get('/made.qcow2')).toEqual({ format: 'qcow2', size: 2 * MiB, backingFile: '/top.qcow2', backingFormat: 'qcow2' });
    expect(storage.openError('/made.qcow2', 'O_RDWR')).toBeNull();
  });

  it('keeps its own copy of the declared table', () => {
    const declared = { '/x.img': { size: 1 } };
    const storage = createVirtualStorage(declared);
    storage.remove('/x.img');
    expect(Object.keys(declared)).toEqual(['/x.img']);
    expect(createVirtualStorage().files.size).toBe(0);
  });
});

describe('real storage on temporary files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-storage-'));
  chmodSync(dir, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const storage = createRealStorage();
  const identity = (path: string) => {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  };

  it('opens a readable, writable file in both modes and describes it as raw', () => {
    const file = join(dir, 'a.img');
    writeFileSync(file, Buffer.alloc(4096));
    expect(storage.openError(file, 'O_RDONLY')).toBeNull();
    expect(storage.openError(file, 'O_RDWR')).toBeNull();
    expect(storage.inspect(file)).toEqual({ regular: true, size: 4096, header: { format: 'raw', virtualSize: 4096 }, identity: identity(file) });
  });

  it('gives two names of one file the same identity (their locks meet)', () => {
    const file = join(dir, 'b.img');
    writeFileSync(file, '');
    symlinkSync(file, join(dir, 'b-link.img'));
    expect(storage.inspect(join(dir, 'b-link.img'))).toEqual({ regular: true, size: 0, header: { format: 'raw', virtualSize: 0 }, identity: identity(file) });
  });

  it('looks at a FIFO without waiting for a writer: it is no regular file', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(storage.openError(fifo, 'O_RDONLY')).toBeNull();
    expect(storage.inspect(fifo)).toMatchObject({ regular: false });
  });

  it('never writes the file it looks at', () => {
    const file = join(dir, 'untouched.img');
    writeFileSync(file, 'data');
    const before = statSync(file);
    storage.openError(file, 'O_RDWR');
    storage.inspect(file);
    const after = statSync(file);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  });

  it.each<[string, () => string, 'O_RDONLY' | 'O_RDWR', string]>([
    ['a missing file', () => join(dir, 'none'), 'O_RDONLY', 'No such file or directory'],
    ['a missing directory', () => join(dir, 'no', 'where'), 'O_RDONLY', 'No such file or directory'],
    ['a directory opened for writing', () => dir, 'O_RDWR', 'Is a directory'],
    ['a path through a regular file', () => {
      writeFileSync(join(dir, 'plain'), '');
      return join(dir, 'plain', 'x');
    }, 'O_RDONLY', 'Not a directory'],
    ['a symbolic link loop', () => {
      symlinkSync(join(dir, 'loop2'), join(dir, 'loop1'));
      symlinkSync(join(dir, 'loop1'), join(dir, 'loop2'));
      return join(dir, 'loop1');
    }, 'O_RDONLY', 'Too many levels of symbolic links'],
    ['a name longer than NAME_MAX', () => join(dir, 'n'.repeat(300)), 'O_RDONLY', 'File name too long'],
  ])('%s: open fails with the strerror text', (_what, path, mode, text) => {
    const p = path();
    expect(storage.openError(p, mode)).toBe(text);
    // inspect() opens O_RDONLY, so it meets the same error there
    if (mode === 'O_RDONLY') expect(storage.inspect(p)).toEqual({ error: text });
  });

  it('a directory opened read-only is looked at, and is no regular file', () => {
    expect(storage.openError(dir, 'O_RDONLY')).toBeNull();
    expect(storage.inspect(dir)).toMatchObject({ regular: false });
  });

  // A mode-0444 file binds only a process without CAP_DAC_OVERRIDE: as root, ask as nobody.
  const unprivileged = isRoot() ? (hasCommand('setpriv') ? null : 'needs setpriv to open files as nobody') : null;
  it.skipIf(unprivileged !== null && !REQUIRE_ALL)(
    `an unwritable (0444) file: reading works, writing gives "Permission denied"${unprivileged ? ` (skipped: ${unprivileged})` : ''}`,
    () => {
      if (unprivileged) throw new Error(`PERMGRAPH_REQUIRE_ALL=1 but this test ${unprivileged}`);
      const file = join(dir, 'ro.img');
      writeFileSync(file, Buffer.alloc(512));
      chmodSync(file, 0o444);
      expect(openAsUnprivileged(file)).toEqual({ O_RDONLY: null, O_RDWR: 'Permission denied' });
      chmodSync(file, 0o000);
      expect(openAsUnprivileged(file)).toEqual({ O_RDONLY: 'Permission denied', O_RDWR: 'Permission denied' });
    },
  );

  it('keeps images it was asked to create in memory only', () => {
    const file = join(dir, 'created.qcow2');
    const mine = createRealStorage();
    mine.create(file, { format: 'qcow2', virtualSize: MiB, backingFile: 'base.qcow2', backingFormat: 'qcow2' });
    expect(mine.openError(file, 'O_RDWR')).toBeNull();
    expect(mine.inspect(file)).toEqual({
      regular: true,
      size: MiB,
      header: { format: 'qcow2', virtualSize: MiB, backingFile: 'base.qcow2', backingFormat: 'qcow2' },
      identity: `created:${file}`,
    });
    expect(pathExists(file)).toBe(false);
    expect(createRealStorage().inspect(file)).toEqual({ error: 'No such file or directory' });
  });

  const noQemuImg = hasCommand('qemu-img') ? null : 'needs qemu-img (apt-get install -y qemu-utils)';
  it.skipIf(noQemuImg !== null && !REQUIRE_ALL)(
    `reads size, backing file and backing format from qcow2 headers qemu-img made${noQemuImg ? ` (skipped: ${noQemuImg})` : ''}`,
    () => {
      if (noQemuImg) throw new Error(`PERMGRAPH_REQUIRE_ALL=1 but this test ${noQemuImg}`);
      const sub = join(dir, 'chain');
      mkdirSync(sub);
      const base = join(sub, 'base.qcow2');
      const top = join(sub, 'top.qcow2');
      const rel = join(sub, 'rel.qcow2');
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', top]);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', rel, '32M']);
      const facts = (path: string) => ({ regular: true, size: statSync(path).size, identity: identity(path) });
      expect(storage.inspect(base)).toEqual({ ...facts(base), header: { format: 'qcow2', virtualSize: 64 * MiB, qcow2: QCOW2_DEFAULTS } });
      // the size comes from the backing file when none is given; the name is kept as written
      expect(storage.inspect(top)).toEqual({ ...facts(top), header: { format: 'qcow2', virtualSize: 64 * MiB, backingFile: base, backingFormat: 'qcow2', qcow2: QCOW2_DEFAULTS } });
      expect(storage.inspect(rel)).toEqual({ ...facts(rel), header: { format: 'qcow2', virtualSize: 32 * MiB, backingFile: 'base.qcow2', backingFormat: 'qcow2', qcow2: QCOW2_DEFAULTS } });
      // the facts qcow2_get_specific_info() reports come from the header too
      const odd = join(sub, 'odd.qcow2');
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on,refcount_bits=8,cluster_size=16384,extended_l2=on,compression_type=zstd', odd, '1M']);
      const old = join(sub, 'old.qcow2');
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'compat=0.10', old, '1M']);
      const qcow2Of = (path: string) => (storage.inspect(path) as { header: { qcow2?: unknown } }).header.qcow2;
      expect(qcow2Of(odd)).toEqual({ ...QCOW2_DEFAULTS, clusterSize: 16384, lazyRefcounts: true, refcountBits: 8, extendedL2: true, compressionType: 'zstd' });
      expect(qcow2Of(old)).toEqual({ ...QCOW2_DEFAULTS, compat: '0.10' });
      // and a virtual image declared with the same options is as large on disk as qemu-img made it
      const virtual = createVirtualStorage();
      virtual.put('/odd.qcow2', { format: 'qcow2', size: MiB, qcow2: qcow2Of(odd) as typeof QCOW2_DEFAULTS });
      expect((virtual.inspect('/odd.qcow2') as { size: number }).size).toBe(statSync(odd).size);
    },
  );
});

/** createRealStorage().openError in both modes, run by a child process as nobody. */
function openAsUnprivileged(file: string): Record<string, string | null> {
  const script = `
    const { createRealStorage } = await import(${JSON.stringify(new URL('../../src/host/real-storage.ts', import.meta.url).href)});
    const storage = createRealStorage();
    console.log(JSON.stringify({ O_RDONLY: storage.openError(process.argv[1], 'O_RDONLY'), O_RDWR: storage.openError(process.argv[1], 'O_RDWR') }));
  `;
  const args = ['--import', 'tsx', '--input-type=module', '-e', script, file];
  const run = isRoot()
    ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`child failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as Record<string, string | null>;
}
