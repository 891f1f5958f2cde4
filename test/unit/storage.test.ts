import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRealStorage } from '../../src/storage/real-storage.js';
import { createVirtualStorage } from '../../src/storage/virtual-storage.js';
import { missing } from '../support/environment.js';

describe('virtual storage', () => {
  const storage = createVirtualStorage({
    '/a.img': { format: 'raw', size: 1024 },
    '/ro.img': { writable: false },
    '/rofs.img': { writable: 'Read-only file system' },
    '/secret.img': { readable: false },
    '/top.qcow2': { format: 'qcow2', size: 4096, backingFile: 'base.qcow2', backingFormat: 'qcow2' },
  });
  it('answers open() as the C library would', () => {
    expect(storage.openError('/a.img', 'O_RDWR')).toBeNull();
    expect(storage.openError('/ro.img', 'O_RDONLY')).toBeNull();
    expect(storage.openError('/ro.img', 'O_RDWR')).toBe('Permission denied');
    expect(storage.openError('/rofs.img', 'O_RDWR')).toBe('Read-only file system');
    expect(storage.openError('/secret.img', 'O_RDONLY')).toBe('Permission denied');
    expect(storage.openError('/none', 'O_RDONLY')).toBe('No such file or directory');
  });
  it('describes images', () => {
    expect(storage.inspect('/a.img')).toMatchObject({ regular: true, size: 1024, header: { format: 'raw', virtualSize: 1024 } });
    expect(storage.inspect('/top.qcow2')).toMatchObject({ header: { format: 'qcow2', virtualSize: 4096, backingFile: 'base.qcow2', backingFormat: 'qcow2' } });
    expect(storage.inspect('/none')).toEqual({ error: 'No such file or directory' });
  });
  it('changes as setup steps change it', () => {
    storage.update('/a.img', { writable: false });
    expect(storage.openError('/a.img', 'O_RDWR')).toBe('Permission denied');
  });
});

describe('real storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-storage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const storage = createRealStorage();

  it('opens real files without writing them', () => {
    const file = join(dir, 'a.img');
    writeFileSync(file, Buffer.alloc(4096));
    expect(storage.openError(file, 'O_RDWR')).toBeNull();
    expect(storage.inspect(file)).toMatchObject({ regular: true, size: 4096, header: { format: 'raw', virtualSize: 4096 } });
    expect(storage.openError(join(dir, 'none'), 'O_RDONLY')).toBe('No such file or directory');
    expect(storage.inspect(dir)).toMatchObject({ regular: false });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unwritable file (as a user that file modes bind)', () => {
    const file = join(dir, 'ro.img');
    writeFileSync(file, '');
    chmodSync(file, 0o444);
    expect(storage.openError(file, 'O_RDWR')).toBe('Permission denied');
  });

  it('keeps images it was asked to create in memory only', () => {
    const file = join(dir, 'created.qcow2');
    storage.create(file, { format: 'qcow2', virtualSize: 1 << 20 });
    expect(storage.openError(file, 'O_RDWR')).toBeNull();
    expect(storage.inspect(file)).toMatchObject({ header: { format: 'qcow2', virtualSize: 1 << 20 } });
    expect(createRealStorage().inspect(file)).toEqual({ error: 'No such file or directory' });
  });

  const why = missing(['qemu-img']);
  it.skipIf(why)(`reads a qcow2 header made by qemu-img${why ? ` (skipped: ${why})` : ''}`, () => {
    const base = join(dir, 'base.qcow2');
    const top = join(dir, 'top.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', top]);
    expect(storage.inspect(base)).toMatchObject({ header: { format: 'qcow2', virtualSize: 64 << 20 } });
    expect(storage.inspect(top)).toMatchObject({ header: { format: 'qcow2', virtualSize: 64 << 20, backingFile: base, backingFormat: 'qcow2' } });
  });
});
