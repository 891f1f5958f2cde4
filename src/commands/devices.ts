/**
 * device_add / device_del for guest block devices, as QEMU's system emulator does them (only where
 * the model simulates that process, ModelRules.systemEmulator: qemu-storage-daemon has neither)
 * (hw/block/block.c: blkconf_apply_backend_options(); virtio-blk, scsi-hd, scsi-cd, ide-hd). A
 * device attached to a node gets an anonymous BlockBackend that error texts name by the device.
 */
import { insertBackend, removeBackend, setBackendPerm } from '../core/backends.js';
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import { backendsInOrder, getNode } from '../graph/graph.js';
import type { Graph } from '../graph/types.js';
import { Perm, PERM_ALL } from '../perms/perm.js';
import { bool, opt, req, str, struct, any } from '../qapi/schema.js';
import type { Command } from './command.js';
import { ownEntry } from '../util/records.js';

interface DeviceKind {
  /** The QOM type whose drive property is set (in error texts). */
  readonly type: string;
  /** Always read-only (CD-ROMs). */
  readonly cdrom: boolean;
  readonly resizable: boolean;
  /** Refuses a read-only node (ide-hd: "Can't use a read-only drive"). */
  readonly needsWritable: boolean;
}

const KINDS: Readonly<Record<string, DeviceKind>> = {
  'virtio-blk': { type: 'virtio-blk-device', cdrom: false, resizable: true, needsWritable: false },
  'virtio-blk-pci': { type: 'virtio-blk-device', cdrom: false, resizable: true, needsWritable: false },
  'scsi-hd': { type: 'scsi-hd', cdrom: false, resizable: true, needsWritable: false },
  'scsi-cd': { type: 'scsi-cd', cdrom: true, resizable: false, needsWritable: false },
  'ide-hd': { type: 'ide-hd', cdrom: false, resizable: true, needsWritable: true },
};

function devices(graph: Graph): { id: string; backend: number }[] {
  return backendsInOrder(graph).flatMap((b) => (b.owner.kind === 'device' ? [{ id: b.owner.id, backend: b.id }] : []));
}

export const deviceAdd: Command = {
  systemEmulatorOnly: true,
  args: struct(req('driver', str), opt('id', str), opt('drive', str), opt('share-rw', bool), opt('bus', str), opt('serial', str), opt('bootindex', any)),
  run(graph, args, env) {
    const driver = args['driver'] as string;
    const kind = ownEntry(KINDS, driver);
    if (!kind) fail(msg.notADeviceModel(driver));
    const present = devices(graph);
    const id = (args['id'] as string | undefined) ?? `/machine/peripheral-anon/device[${present.length}]`;
    if (args['id'] !== undefined && present.some((d) => d.id === id)) fail(msg.duplicateDeviceId(id));
    const drive = args['drive'] as string | undefined;
    if (drive === undefined) fail(msg.drivePropertyNotSet());
    const node = getNode(graph, drive);
    if (!node) fail(msg.propertyValueNotFound(kind.type, 'drive', drive));
    const readOnly = kind.cdrom || env.stepper.describe(node.machine).refusesWriters;
    if (kind.needsWritable && readOnly) fail(msg.readOnlyDrive());
    const result = transact(graph, env, (tx) => {
      const backend = insertBackend(tx, { kind: 'device', id }, drive, 0, PERM_ALL);
      const perm = Perm.CONSISTENT_READ | (readOnly ? 0 : Perm.WRITE);
      const shared =
        Perm.CONSISTENT_READ | Perm.WRITE_UNCHANGED | (kind.resizable ? Perm.RESIZE : 0) | (args['share-rw'] === true ? Perm.WRITE : 0);
      setBackendPerm(tx, backend, perm, shared);
    });
    return { ...result, reply: {} };
  },
};

export const deviceDel: Command = {
  systemEmulatorOnly: true,
  args: struct(req('id', str)),
  run(graph, args, env) {
    const id = args['id'] as string;
    const device = devices(graph).find((d) => d.id === id);
    if (!device) throw new QmpError('DeviceNotFound', msg.deviceNotFound(id));
    const result = transact(graph, env, (tx) => {
      removeBackend(tx, device.backend);
      tx.emit({ type: 'qmp.event', event: 'DEVICE_DELETED', data: { device: id, path: `/machine/peripheral/${id}` } });
    });
    return { ...result, reply: {} };
  },
};
