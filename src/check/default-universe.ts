/**
 * The universe `permgraph check` explores when given none: libvirt's chain base <- mid <- top,
 * qcow2 over file nodes opened auto-read-only, the backing images read-only, the active layer
 * exported to a guest, a commit of mid into base, and base's image turning read-only.
 */
import type { Universe } from './universe.js';

const qcow2 = (name: string, backing: string | null, readOnly: boolean): Universe['start'] => [
  { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': `${name}-file`, filename: `$W/${name}.qcow2`, 'auto-read-only': true } },
  { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': name, file: `${name}-file`, backing, ...(readOnly ? { 'read-only': true } : {}) } },
];

const reopenBase = (readOnly: boolean): Universe['commands'][number] => ({
  execute: 'blockdev-reopen',
  arguments: { options: [{ driver: 'qcow2', 'node-name': 'base', file: 'base-file', backing: null, 'read-only': readOnly }] },
});

export const DEFAULT_UNIVERSE: Universe = {
  name: 'libvirt-chain',
  description:
    'base <- mid <- top, qcow2 over auto-read-only file nodes, base and mid read-only; a guest export of top, a reader of mid, a commit of mid into base, base reopened, base.qcow2 turning read-only',
  setup: [
    { 'qemu-img': ['create', '-f', 'qcow2', '$W/base.qcow2', '64M'] },
    { 'qemu-img': ['create', '-f', 'qcow2', '-b', '$W/base.qcow2', '-F', 'qcow2', '$W/mid.qcow2'] },
    { 'qemu-img': ['create', '-f', 'qcow2', '-b', '$W/mid.qcow2', '-F', 'qcow2', '$W/top.qcow2'] },
    // data in mid, for the commit to copy (with none it would end as it starts)
    { 'qemu-io': ['-c', 'write -P 0x11 0 64k', '$W/mid.qcow2'] },
  ],
  start: [
    ...qcow2('base', null, true),
    ...qcow2('mid', 'base', true),
    ...qcow2('top', 'mid', false),
    { execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '$W/nbd.sock' } } } },
  ],
  commands: [
    { execute: 'block-export-add', arguments: { type: 'nbd', id: 'guest', 'node-name': 'top', writable: true } },
    { execute: 'block-export-del', arguments: { id: 'guest' } },
    { execute: 'block-export-add', arguments: { type: 'nbd', id: 'reader', 'node-name': 'mid' } },
    { execute: 'block-export-del', arguments: { id: 'reader' } },
    { execute: 'block-commit', arguments: { 'job-id': 'c1', device: 'top', 'top-node': 'mid', 'base-node': 'base', 'auto-dismiss': false } },
    { execute: 'job-pause', arguments: { id: 'c1' } },
    { execute: 'job-resume', arguments: { id: 'c1' } },
    { execute: 'block-job-cancel', arguments: { device: 'c1' } },
    { execute: 'job-dismiss', arguments: { id: 'c1' } },
    { advance: 1 },
    reopenBase(false),
    reopenBase(true),
    { chmod: ['$W/base.qcow2', '0444'] },
    { chmod: ['$W/base.qcow2', '0644'] },
  ],
};
