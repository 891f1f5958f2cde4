/**
 * Internal snapshots of qcow2 images (blockdev.c: internal_snapshot_prepare(), reached through
 * qmp_blockdev_snapshot_internal_sync(), and qmp_blockdev_snapshot_delete_internal_sync();
 * block/snapshot.c: bdrv_can_snapshot(), bdrv_snapshot_find_by_id_and_name()). The snapshots are
 * in the image: the header of the node whose driver holds them, and what a later open of its file
 * reads (src/core/written-images.ts); their clusters are src/drivers/qcow2-snapshots.ts's.
 */
import { fail, QmpError } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { transact } from '../core/tx.js';
import { Role } from '../drivers/roles.js';
import { childEdges, getNode } from '../graph/graph.js';
import type { Graph, InternalSnapshot, NodeName } from '../graph/types.js';
import { deleteSnapshot, takeSnapshot } from '../drivers/qcow2-snapshots.js';
import { writeImage } from '../core/image-writes.js';
import { opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';
import { refuseIfBlocked, rootNode } from './job-args.js';

/** The drivers with .bdrv_snapshot_create and .bdrv_snapshot_list among those simulated. */
const SNAPSHOT_DRIVERS: ReadonlySet<string> = new Set(['qcow2']);

/**
 * bdrv_snapshot_fallback_child(): the primary child, unless another child also holds data,
 * metadata or a filtered node.
 */
function fallbackChild(graph: Graph, name: NodeName): NodeName | null {
  const edges = childEdges(graph, getNode(graph, name)!);
  const primary = edges.find((e) => e.role & Role.PRIMARY);
  if (!primary) return null;
  const others = edges.some((e) => e !== primary && e.role & (Role.DATA | Role.METADATA | Role.FILTERED));
  return others ? null : primary.child;
}

/**
 * The node whose driver keeps the snapshots of `name`: itself or, down the fallback children, the
 * first that has a snapshot driver. `writable`: bdrv_can_snapshot(), every node on the way
 * read-write.
 */
function snapshotHolder(graph: Graph, name: NodeName, writable: boolean): NodeName | null {
  for (let at: NodeName | null = name; at; at = fallbackChild(graph, at)) {
    const node = getNode(graph, at)!;
    if (writable && (node.readOnly || node.inactive)) return null;
    if (SNAPSHOT_DRIVERS.has(node.driver)) return at;
  }
  return null;
}

const snapshotsOf = (graph: Graph, holder: NodeName): readonly InternalSnapshot[] => getNode(graph, holder)!.header?.qcow2?.snapshots ?? [];

/** bdrv_snapshot_list(): the snapshots a node shows, its own or down its fallback children. */
export function snapshotsSeenFrom(graph: Graph, name: NodeName): readonly InternalSnapshot[] {
  const holder = snapshotHolder(graph, name, false);
  return holder ? snapshotsOf(graph, holder) : [];
}

/** `pass-discard-snapshot` (on unless turned off). */
const passDiscard = (graph: Graph, holder: NodeName): boolean => getNode(graph, holder)!.options['pass-discard-snapshot'] !== false;

/**
 * A snapshot's SnapshotInfo: its date and VM clock (in qemu-storage-daemon, the host's clock) are
 * the simulated clock's when it was taken.
 */
export function snapshotInfo(sn: InternalSnapshot): Record<string, unknown> {
  const sec = Math.floor(sn.clock);
  const nsec = Math.round((sn.clock - sec) * 1e9);
  return { id: sn.id, name: sn.name, 'vm-state-size': 0, 'date-sec': sec, 'date-nsec': nsec, 'vm-clock-sec': sec, 'vm-clock-nsec': nsec };
}

/** qcow2's find_new_snapshot_id(): one more than the highest id in use. */
const newSnapshotId = (ids: readonly string[]): string => String(ids.reduce((max, id) => Math.max(max, Number(id) || 0), 0) + 1);

export const internalSnapshotArgs = struct(req('device', str), req('name', str));

export const blockdevSnapshotInternalSync: Command = {
  args: internalSnapshotArgs,
  run(graph, args, env) {
    const device = args['device'] as string;
    const name = args['name'] as string;
    const bs = rootNode(graph, device);
    refuseIfBlocked(graph, bs, 'internal-snapshot');
    if (getNode(graph, bs)!.readOnly) fail(msg.deviceReadOnly(device));
    const holder = snapshotHolder(graph, bs, true);
    if (!holder) fail(msg.noInternalSnapshots(getNode(graph, bs)!.driver, device));
    if (name === '') fail(msg.snapshotNameEmpty());
    const existing = snapshotsOf(graph, holder);
    if (existing.some((s) => s.name === name)) fail(msg.snapshotExists(name, device));
    const id = newSnapshotId(existing.map((s) => s.id));
    const size = getNode(graph, holder)!.size;
    const result = transact(graph, env, (tx) => {
      writeImage(tx, holder, (facts) => takeSnapshot(facts, { id, name, clock: graph.clock }, size, passDiscard(graph, holder)));
    });
    return { ...result, reply: {} };
  },
  // internal_snapshot_abort(): the snapshot deleted again, its clusters' writes and frees left behind
  undoneResidue(graph, args, env) {
    try {
      const taken = blockdevSnapshotInternalSync.run(graph, args, env).graph;
      return blockdevSnapshotDeleteInternalSync.run(taken, { device: args['device'], name: args['name'] }, env).graph;
    } catch (error) {
      if (error instanceof QmpError) return graph;
      throw error;
    }
  },
};

export const blockdevSnapshotDeleteInternalSync: Command = {
  args: struct(req('device', str), opt('id', str), opt('name', str)),
  run(graph, args, env) {
    const device = args['device'] as string;
    const id = args['id'] as string | undefined;
    const name = args['name'] as string | undefined;
    const bs = rootNode(graph, device);
    if (id === undefined && name === undefined) fail(msg.snapshotNameOrId());
    refuseIfBlocked(graph, bs, 'internal-snapshot-delete');
    const holder = snapshotHolder(graph, bs, false);
    if (!holder) fail(msg.snapshotListUnsupported());
    const existing = snapshotsOf(graph, holder);
    const found = existing.find((s) => (id === undefined || s.id === id) && (name === undefined || s.name === name));
    if (!found) fail(msg.snapshotNotFound(id, name, device));
    const result = transact(graph, env, (tx) => {
      writeImage(tx, holder, (facts) => deleteSnapshot(facts, found.id, passDiscard(graph, holder)));
    });
    const info = snapshotInfo(found);
    return { ...result, reply: info };
  },
};
