/**
 * Small universes for the property tests: a two-image chain with a guest device, a CD-ROM, an
 * export, reopen, an active commit, deleting and re-adding the active layer and both images
 * turning read-only; and the explorer's three-image libvirt chain with a stream added.
 */
import { DEFAULT_UNIVERSE } from '../../../src/check/default-universe.js';
import type { Universe } from '../../../src/check/universe.js';

const topOptions = (readOnly: boolean): Record<string, unknown> => ({
  driver: 'qcow2',
  'node-name': 'top',
  file: 'top-file',
  backing: 'base',
  'auto-read-only': true,
  ...(readOnly ? { 'read-only': true } : {}),
});

export const CHAIN2: Universe = {
  name: 'chain2',
  description: 'base <- top over auto-read-only file nodes; devices, an export, reopen, an active commit, top deleted and re-added, storage turning read-only',
  setup: [
    { 'qemu-img': ['create', '-f', 'qcow2', '$W/base.qcow2', '1M'] },
    { 'qemu-img': ['create', '-f', 'qcow2', '-b', '$W/base.qcow2', '-F', 'qcow2', '$W/top.qcow2'] },
  ],
  start: [
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'base-file', filename: '$W/base.qcow2', 'auto-read-only': true } },
    { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'base', file: 'base-file', backing: null, 'read-only': true } },
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'top-file', filename: '$W/top.qcow2', 'auto-read-only': true } },
    { execute: 'blockdev-add', arguments: topOptions(false) },
    { execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '$W/nbd.sock' } } } },
  ],
  commands: [
    { execute: 'device_add', arguments: { driver: 'virtio-blk', id: 'vda', drive: 'top' } },
    { execute: 'device_del', arguments: { id: 'vda' } },
    { execute: 'device_add', arguments: { driver: 'scsi-cd', id: 'cd0', drive: 'base' } },
    { execute: 'device_del', arguments: { id: 'cd0' } },
    { execute: 'block-export-add', arguments: { type: 'nbd', id: 'e1', 'node-name': 'top', writable: true } },
    { execute: 'block-export-del', arguments: { id: 'e1' } },
    { execute: 'blockdev-reopen', arguments: { options: [topOptions(true)] } },
    { execute: 'blockdev-reopen', arguments: { options: [topOptions(false)] } },
    { execute: 'block-commit', arguments: { 'job-id': 'c1', device: 'top', 'base-node': 'base', 'auto-dismiss': false } },
    { execute: 'block-job-complete', arguments: { device: 'c1' } },
    { execute: 'block-job-cancel', arguments: { device: 'c1' } },
    { execute: 'job-dismiss', arguments: { id: 'c1' } },
    { advance: 1 },
    { execute: 'blockdev-del', arguments: { 'node-name': 'top' } },
    { execute: 'blockdev-add', arguments: topOptions(false) },
    { chmod: ['$W/base.qcow2', '0444'] },
    { chmod: ['$W/base.qcow2', '0644'] },
    { chmod: ['$W/top.qcow2', '0444'] },
    { chmod: ['$W/top.qcow2', '0644'] },
  ],
};

export const CHAIN3: Universe = {
  ...DEFAULT_UNIVERSE,
  name: 'chain3',
  commands: [...DEFAULT_UNIVERSE.commands, { execute: 'block-stream', arguments: { 'job-id': 's1', device: 'top', 'base-node': 'base', 'auto-dismiss': false } }, { execute: 'job-dismiss', arguments: { id: 's1' } }],
};
