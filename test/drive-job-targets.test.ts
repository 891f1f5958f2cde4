/**
 * The targets drive-backup and drive-mirror create and open (src/commands/drive-jobs.ts): a
 * backup's opens with `discard` and `detect-zeroes` `unmap` (drive_backup_action()), a mirror's
 * with the defaults. Seen on both daemons (fuzz seed 85102, sequence 25; a query of the nodes
 * while each job runs), where the job's own bitmaps also show (not simulated: docs/fidelity.md).
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph } from '../src/index.js';
import { virtualStorageFor } from '../src/scenario/virtual-setup.js';

const setup = [{ 'qemu-img': ['create', '-f', 'raw', '/w/s.img', '1M'] }];

function targetRecord(execute: 'drive-backup' | 'drive-mirror', model: 'qemu-7.2' | 'qemu-10.0'): Record<string, unknown> {
  const pg = createPermgraph({ model, nodeActors: false, storage: virtualStorageFor({ steps: [], setup }, '/w', 's.json') });
  try {
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 's', file: { driver: 'file', filename: '/w/s.img' } } });
    const sync = execute === 'drive-backup' ? 'none' : 'full';
    expect(pg.execute({ execute, arguments: { 'job-id': 'j', device: 's', sync, speed: 1, target: '/w/t.qcow2', format: 'qcow2' } })).toEqual({ return: {} });
    const reply = pg.execute({ execute: 'query-named-block-nodes', arguments: { flat: true } });
    const nodes = 'return' in reply ? (reply.return as Record<string, unknown>[]) : [];
    return nodes.find((n) => n['drv'] === 'qcow2')!;
  } finally {
    pg.dispose();
  }
}

describe('the targets drive jobs open', () => {
  for (const model of ['qemu-7.2', 'qemu-10.0'] as const) {
    it(`a drive-backup target detects zeroes and unmaps; a drive-mirror target does not (${model})`, () => {
      expect(targetRecord('drive-backup', model)['detect_zeroes']).toBe('unmap');
      expect(targetRecord('drive-mirror', model)['detect_zeroes']).toBe('off');
    });
  }
});
