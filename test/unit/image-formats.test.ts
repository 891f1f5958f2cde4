/**
 * The image formats' facts (src/storage/image-formats.ts, src/storage/image-headers.ts) against
 * what qemu-img 7.2 leaves on disk: a setup's `qemu-img create` made for real and read by the real
 * storage describes the same file as the virtual storage makes of the same step.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRealStorage } from '../../src/host/real-storage.js';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import type { SetupStep } from '../../src/scenario/schema.js';
import { hasCommand, REQUIRE_ALL } from '../support/environment.js';

const noQemuImg = hasCommand('qemu-img') ? null : 'needs qemu-img (apt-get install -y qemu-utils)';
const dir = mkdtempSync(join(tmpdir(), 'permgraph-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The setup steps, run for real (as the oracle does) and read by the real storage, and read by the virtual one. */
function bothWays(steps: readonly string[][], path: string) {
  // a LUKS image's PBKDF benchmark fails now and then on a busy machine ("Unable to get accurate CPU usage"): tried again
  for (const step of steps) for (let tries = 3; tries > 0; tries--) {
    try {
      execFileSync(step[0]!, step.slice(1), { stdio: 'pipe' });
      break;
    } catch (error) {
      if (tries === 1 || !String((error as { stderr?: unknown }).stderr).includes('accurate CPU usage')) throw error;
    }
  }
  const setup = steps.map((step) => ({ [step[0]!]: step.slice(1) }) as SetupStep);
  const virtual = virtualStorageFor({ name: 'f', setup, steps: [] }, dir, 'f.json').inspect(path);
  const real = createRealStorage().inspect(path);
  const strip = (facts: typeof real): Readonly<Record<string, unknown>> => ('error' in facts ? facts : { size: facts.size, format: facts.header.format, virtualSize: facts.header.virtualSize, backingFile: facts.header.backingFile });
  return { virtual: strip(virtual), real: strip(real) };
}

describe.skipIf(noQemuImg !== null && !REQUIRE_ALL)(`qemu-img create of each format${noQemuImg ? ` (skipped: ${noQemuImg})` : ''}`, () => {
  const sizes = ['1M', '64M', '1G'];
  const formats = ['qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels'];
  it.each(formats.flatMap((format) => sizes.map((size) => [format, size] as const)))('%s of %s: its size, file size and format', (format, size) => {
    const path = join(dir, `${size}.${format}`);
    const { virtual, real } = bothWays([['qemu-img', 'create', '-q', '-f', format, path, size]], path);
    expect(virtual).toEqual(format === 'vhdx' ? { ...real, virtualSize: virtual.virtualSize } : real);
  });

  it('luks: the file holds the header before the data', () => {
    const path = join(dir, 'a.luks');
    const { virtual, real } = bothWays([['qemu-img', 'create', '-q', '-f', 'luks', '--object', 'secret,id=s0,data=abc', '-o', 'key-secret=s0,iter-time=10', path, '1M']], path);
    expect(virtual).toEqual(real);
  });

  it.each(['qcow', 'qed', 'vmdk'])('%s names its backing file', (format) => {
    const base = join(dir, `base.${format}`);
    const top = join(dir, `top.${format}`);
    const steps = [['qemu-img', 'create', '-q', '-f', format, base, '1M'], ['qemu-img', 'create', '-q', '-f', format, '-b', base, '-F', format, top]];
    const { virtual, real } = bothWays(steps, top);
    expect(real.backingFile).toBe(base);
    expect(virtual).toEqual(real);
  });

  it('a cloop header written byte by byte with qemu-io opens as cloop, 512 bytes', () => {
    const path = join(dir, 'c.img');
    const steps = [['qemu-img', 'create', '-q', '-f', 'raw', path, '1k'], ['qemu-io', '-f', 'raw', '-c', 'write -P 2 130 1', '-c', 'write -P 1 135 1', path]];
    const { virtual, real } = bothWays(steps, path);
    expect(real).toEqual({ size: 1024, format: 'cloop', virtualSize: 512, backingFile: undefined });
    expect(virtual).toEqual(real);
  });
});
