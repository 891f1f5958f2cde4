/**
 * qemu-io writes in a setup, as the virtual storage reads them: the sizes on disk are those
 * qemu-img and qemu-io 7.2 left (measured: `stat -c %s` after each command).
 */
import { describe, expect, it } from 'vitest';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import type { Scenario } from '../../src/scenario/schema.js';

function sizeOnDisk(setup: Scenario['setup'], path: string): number {
  const storage = virtualStorageFor({ steps: [], setup }, '/w', 's.json');
  const facts = storage.inspect(path);
  if ('error' in facts) throw new Error(facts.error);
  return facts.size;
}

describe('qemu-io writes in a setup', () => {
  const image = (size: string) => ({ 'qemu-img': ['create', '-f', 'qcow2', '/w/s.qcow2', size] });
  const write = (length: string, offset = '0') => ({ 'qemu-io': ['-c', `write -P 0x11 ${offset} ${length}`, '/w/s.qcow2'] });

  it.each([
    ['16M', '16M', 17_104_896],
    ['16M', '8M', 8_716_288],
    ['16M', '4M', 4_521_984],
    ['64M', '2M', 2_424_832],
    ['16M', '1M', 1_376_256],
    ['16M', '512K', 851_968],
    ['16M', '100K', 458_752],
  ])('a %s qcow2 image written %s from 0 holds its clusters and one L2 table', (size, length, bytes) => {
    expect(sizeOnDisk([image(size), write(length)], '/w/s.qcow2')).toBe(bytes);
  });

  it('a fresh qcow2 image is its header, refcount table and block, and L1 table', () => {
    expect(sizeOnDisk([image('16M')], '/w/s.qcow2')).toBe(196_616);
  });

  it('clusters written twice count once; a raw file grows to cover a write', () => {
    expect(sizeOnDisk([image('16M'), write('1M'), write('1M')], '/w/s.qcow2')).toBe(1_376_256);
    const raw = [{ 'qemu-img': ['create', '-f', 'raw', '/w/r.img', '1M'] }, { 'qemu-io': ['-f', 'raw', '-c', 'write 0 2M', '/w/r.img'] }];
    expect(sizeOnDisk(raw, '/w/r.img')).toBe(2 * 1024 * 1024);
  });

  it('says where a write it cannot read is', () => {
    expect(() => sizeOnDisk([image('1M'), { 'qemu-io': ['-c', 'write -P 1', '/w/s.qcow2'] }], '/w/s.qcow2')).toThrow(/qemu-io: cannot read 'write -P 1'/);
  });
});
