/**
 * The fuzzer's snapshots and transactions: blockdev-snapshot-sync (new images, existing ones,
 * formats that take no backing, names in use), internal snapshots taken and deleted by name and
 * id, and transactions of one to three actions (snapshots, backups, abort), now and then with
 * `completion-mode: grouped`.
 */
import type { World } from './world.js';

/** The overlays blockdev-snapshot-sync made in each sequence (they stay out of the World's nodes: reopen knows them not). */
const overlays = new WeakMap<World, string[]>();

const overlaysOf = (world: World): string[] => {
  let list = overlays.get(world);
  if (!list) overlays.set(world, (list = []));
  return list;
};

/** A node to snapshot: mostly a format node, now and then an overlay made before or a filter. */
function someSnapshotNode(world: World): string {
  const made = overlaysOf(world);
  if (made.length > 0 && world.random.chance(0.3)) return world.random.pick(made);
  return world.someNode('format', 'filter');
}

function snapshotSyncArgs(world: World): Record<string, unknown> {
  const { random } = world;
  const name = random.chance(0.9) ? world.fresh('s') : world.someNode('format');
  const existing = random.chance(0.15);
  const args: Record<string, unknown> = {
    'node-name': someSnapshotNode(world),
    'snapshot-file': existing ? '$W/tgt.qcow2' : `$W/${name}.qcow2`,
    ...(random.chance(0.95) ? { 'snapshot-node-name': name } : {}),
    ...(existing ? { mode: 'existing' } : random.chance(0.2) ? { mode: 'absolute-paths' } : {}),
  };
  if (random.chance(0.1)) args['format'] = random.pick(['raw', 'qcow2', 'vmdk']);
  if (random.chance(0.9)) overlaysOf(world).push(name);
  return args;
}

function internalArgs(world: World): Record<string, unknown> {
  return { device: someSnapshotNode(world), name: world.random.weighted([[6, 'i0'], [3, 'i1'], [1, '']]) };
}

export function snapshotSync(world: World): void {
  world.add({ execute: 'blockdev-snapshot-sync', arguments: snapshotSyncArgs(world) });
}

export function internalSnapshot(world: World): void {
  world.add({ execute: 'blockdev-snapshot-internal-sync', arguments: internalArgs(world) });
}

export function deleteInternalSnapshot(world: World): void {
  const { random } = world;
  const args: Record<string, unknown> = { device: someSnapshotNode(world) };
  if (random.chance(0.7)) args['name'] = random.pick(['i0', 'i1', 'nosuch']);
  if (random.chance(0.4)) args['id'] = random.pick(['1', '2', '9']);
  world.add({ execute: 'blockdev-snapshot-delete-internal-sync', arguments: args });
}

function backupAction(world: World): { type: string; data: Record<string, unknown> } {
  const id = world.fresh('j');
  world.jobs.push(id);
  const common = { 'job-id': id, device: world.someNode('format', 'filter'), sync: world.random.weighted([[5, 'full'], [1, 'top'], [1, 'none']]), speed: 1 };
  if (world.random.chance(0.5)) return { type: 'blockdev-backup', data: { ...common, target: world.someNode('format') } };
  return { type: 'drive-backup', data: { ...common, target: `$W/${world.fresh('d')}.qcow2`, format: 'qcow2' } };
}

function someAction(world: World): { type: string; data: Record<string, unknown> } {
  switch (world.random.weighted([[3, 'internal'], [3, 'sync'], [1, 'snapshot'], [3, 'backup'], [1, 'abort']])) {
    case 'internal':
      return { type: 'blockdev-snapshot-internal-sync', data: internalArgs(world) };
    case 'sync':
      return { type: 'blockdev-snapshot-sync', data: snapshotSyncArgs(world) };
    case 'snapshot':
      return { type: 'blockdev-snapshot', data: { node: someSnapshotNode(world), overlay: world.someNode('format') } };
    case 'backup':
      return backupAction(world);
    default:
      return { type: 'abort', data: {} };
  }
}

export function transaction(world: World): void {
  const count = world.random.int(1, 3);
  const actions = Array.from({ length: count }, () => someAction(world));
  const grouped = world.random.chance(0.15);
  world.add({ execute: 'transaction', arguments: { actions, ...(grouped ? { properties: { 'completion-mode': 'grouped' } } : {}) } });
}
