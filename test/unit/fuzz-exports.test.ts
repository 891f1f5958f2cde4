import { describe, expect, it } from 'vitest';
import { FUSE_MOUNTPOINTS } from '../../src/fuzz/export-commands.js';
import { generateScenario, SETUP } from '../../src/fuzz/generate.js';
import type { Step } from '../../src/scenario/schema.js';

type Args = Record<string, unknown>;

/** The block-export-add arguments of types other than nbd, per sequence, over many seeds. */
function typedExports(seeds: number): Args[][] {
  return Array.from({ length: seeds }, (_, seed) =>
    generateScenario(seed, `s${seed}`, { maxSteps: 30 })
      .steps.filter((s): s is Extract<Step, { execute: string }> => 'execute' in s && s.execute === 'block-export-add')
      .map((s) => s.arguments as Args)
      .filter((a) => a['type'] !== 'nbd'),
  );
}

describe("the fuzzer's vhost-user-blk, fuse and vduse-blk exports", () => {
  const sequences = typedExports(1000);
  const all = sequences.flat();

  it('writes every type, with its options, valid and near-valid', () => {
    expect(new Set(all.map((a) => a['type']))).toEqual(new Set(['vhost-user-blk', 'fuse', 'vduse-blk']));
    const addrTypes = new Set(all.filter((a) => a['type'] === 'vhost-user-blk').map((a) => (a['addr'] as Args)['type']));
    expect(addrTypes).toEqual(new Set(['unix', 'inet', 'fd']));
    for (const option of ['writable', 'writethrough', 'iothread', 'logical-block-size', 'num-queues', 'growable', 'allow-other', 'queue-size', 'allow-inactive']) {
      expect(all.some((a) => option in a), option).toBe(true);
    }
    expect(all.some((a) => a['logical-block-size'] === 1000)).toBe(true);
    expect(all.some((a) => a['iothread'] === 'noio')).toBe(true);
  });

  it('never binds two exports of a sequence to one socket, nor an export to a file of the setup', () => {
    const setupPaths = JSON.stringify(SETUP);
    for (const sequence of sequences) {
      const paths = sequence.map((a) => (a['addr'] as Args | undefined)?.['path']).filter((p): p is string => typeof p === 'string');
      expect(new Set(paths).size).toBe(paths.length);
      for (const path of paths) expect(setupPaths).not.toContain(`"${path}"`);
    }
  });

  it('mounts fuse on files the setup makes (or a folder, an image, a missing path), and never fixes an iothread', () => {
    const setupPaths = JSON.stringify(SETUP);
    for (const mountpoint of FUSE_MOUNTPOINTS) expect(setupPaths).toContain(`"${mountpoint}"`);
    const mountpoints = all.filter((a) => a['type'] === 'fuse').map((a) => a['mountpoint'] as string);
    for (const mountpoint of mountpoints) expect([...FUSE_MOUNTPOINTS, '$W/rw', '$W/nofile', '$W/disk.img']).toContain(mountpoint);
    expect(mountpoints).toEqual(expect.arrayContaining([...FUSE_MOUNTPOINTS, '$W/rw', '$W/nofile']));
    expect(all.some((a) => a['fixed-iothread'] === true)).toBe(false);
  });
});
