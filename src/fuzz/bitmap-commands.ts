/**
 * The fuzzer's dirty bitmaps: bitmaps added to any node (persistent or not, disabled or not, a
 * share of bad granularities and empty names) from a small pool of names, so that later commands
 * meet them; the bitmap commands on them; backups that sync a bitmap; NBD exports that export
 * bitmaps. An empty merge list is never sent (it crashes both daemons: hbitmap_free(NULL)), and
 * an export names a bitmap by {node, name} only on its own node (deleting another node whose
 * bitmap an export holds busy makes QEMU abort).
 */
import { addFormat } from './node-commands.js';
import type { World } from './world.js';

const NAMES = ['bm0', 'bm1', 'bm2'] as const;

/** The bitmaps each sequence added (as the generator believes: the add may have been refused). */
const ADDED = new WeakMap<World, { node: string; name: string }[]>();
const added = (world: World): { node: string; name: string }[] => {
  let list = ADDED.get(world);
  if (!list) ADDED.set(world, (list = []));
  return list;
};

const someBitmap = (world: World): string => (world.random.chance(0.05) ? 'nobm' : world.random.pick(NAMES));
const anyNode = (world: World): string => world.someNode('format', 'file', 'filter', 'null', 'nbd');

/** A bitmap the sequence added, mostly; else any node and name. */
function someAdded(world: World): { node: string; name: string } {
  const list = added(world);
  if (list.length > 0 && world.random.chance(0.85)) return world.random.pick(list);
  return { node: anyNode(world), name: someBitmap(world) };
}

export function addBitmap(world: World): void {
  const { random } = world;
  // a node to put it on first, in a sequence that has none yet
  if (world.nodesOf('format').length === 0) addFormat(world);
  const node = random.chance(0.7) && world.nodesOf('format').length > 0 ? random.pick(world.nodesOf('format')).name : anyNode(world);
  const args: Record<string, unknown> = { node, name: random.chance(0.04) ? '' : random.pick(NAMES) };
  if (random.chance(0.3)) args['granularity'] = random.weighted<number>([[4, 65536], [2, 512], [1, 4096], [1, 1000], [1, 256]]);
  if (random.chance(0.4)) args['persistent'] = random.chance(0.8);
  if (random.chance(0.3)) args['disabled'] = random.chance(0.7);
  world.add({ execute: 'block-dirty-bitmap-add', arguments: args });
  added(world).push({ node, name: args['name'] as string });
}

export function bitmapVerb(world: World): void {
  const { random } = world;
  const verb = random.weighted<string>([
    [3, 'block-dirty-bitmap-remove'], [2, 'block-dirty-bitmap-clear'], [2, 'block-dirty-bitmap-enable'],
    [2, 'block-dirty-bitmap-disable'], [2, 'block-dirty-bitmap-merge'], [1, 'x-debug-block-dirty-bitmap-sha256'],
  ]);
  if (added(world).length === 0) return addBitmap(world);
  const { node, name } = someAdded(world);
  if (verb !== 'block-dirty-bitmap-merge') {
    world.add({ execute: verb, arguments: { node, name } });
    return;
  }
  const sources = Array.from({ length: random.int(1, 2) }, () => (random.chance(0.6) ? someBitmap(world) : someAdded(world)));
  world.add({ execute: verb, arguments: { node, target: name, bitmaps: sources } });
}

/** blockdev-backup syncing a bitmap: every sync and bitmap-mode, right or not. */
export function backupBitmap(world: World): void {
  const { random } = world;
  if (added(world).length === 0) return addBitmap(world);
  const id = world.fresh('j');
  const source = someAdded(world);
  const args: Record<string, unknown> = {
    'job-id': id,
    device: source.node,
    target: world.someNode('format'),
    sync: random.weighted<string>([[3, 'full'], [3, 'bitmap'], [2, 'incremental'], [1, 'top'], [1, 'none']]),
    speed: 1,
  };
  if (random.chance(0.9)) args['bitmap'] = random.chance(0.8) ? source.name : someBitmap(world);
  if (random.chance(0.85)) args['bitmap-mode'] = random.weighted<string>([[3, 'on-success'], [2, 'always'], [2, 'never']]);
  if (random.chance(0.3)) args['auto-dismiss'] = false;
  world.add({ execute: 'blockdev-backup', arguments: args });
  world.jobs.push(id);
}

/** block-export-add with bitmaps: names found down the exported chain, or {node, name} of the exported node. */
export function exportBitmaps(world: World): void {
  const { random } = world;
  if (!world.nbdStarted) {
    world.add({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '$W/nbd.sock' } } }, observe: false });
    world.nbdStarted = true;
  }
  if (added(world).length === 0) return addBitmap(world);
  const id = world.fresh('e');
  const { node, name } = someAdded(world);
  const bitmaps = Array.from({ length: random.int(1, 2) }, () => (random.chance(0.7) ? name : { node, name: someBitmap(world) }));
  world.add({ execute: 'block-export-add', arguments: { type: 'nbd', id, 'node-name': node, name: id, writable: random.chance(0.5), bitmaps } });
  world.exports.push(id);
}
