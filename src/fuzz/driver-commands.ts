/**
 * The fuzzer's filter and special drivers: blockdev-add of preallocate, compress, replication,
 * blklogwrites, blkdebug, blkverify, snapshot-access, quorum, null-aio and the file-posix device
 * drivers over the world's nodes and images, and x-blockdev-change on a quorum.
 */
import { genericOptions } from './node-commands.js';
import { IMAGES, type World } from './world.js';

const imagePaths = Object.values(IMAGES);

/** A child: a node of the world by name, now and then one inline over an image. */
function child(world: World): unknown {
  const nodes = world.nodesOf('file', 'format', 'null', 'filter');
  if (nodes.length > 0 && world.random.chance(0.8)) return world.random.pick(nodes).name;
  return { driver: 'file', filename: world.random.pick([IMAGES.raw, IMAGES.readOnly, IMAGES.target]) };
}

/** The options of one filter or special driver over the world's nodes. */
function filterOptions(world: World, name: string): Record<string, unknown> {
  const { random } = world;
  const base = { 'node-name': name, ...genericOptions(world, 0.2) };
  switch (random.pick(['preallocate', 'compress', 'replication', 'blklogwrites', 'blkdebug', 'blkverify', 'snapshot-access'] as const)) {
    case 'preallocate':
      return { driver: 'preallocate', ...base, file: child(world), ...(random.chance(0.3) ? { 'prealloc-align': random.pick([512, 1000, 4096]) } : {}) };
    case 'compress':
      return { driver: 'compress', ...base, file: child(world) };
    case 'replication':
      return { driver: 'replication', ...base, file: child(world), mode: random.pick(['primary', 'secondary']), ...(random.chance(0.5) ? { 'top-id': 'top' } : {}) };
    case 'blklogwrites':
      return { driver: 'blklogwrites', ...base, file: child(world), log: child(world), ...(random.chance(0.2) ? { 'log-sector-size': random.pick([512, 100]) } : {}) };
    case 'blkdebug':
      return {
        driver: 'blkdebug',
        ...base,
        image: child(world),
        ...(random.chance(0.3) ? { 'take-child-perms': random.pick([['write'], ['resize'], ['consistent-read', 'write']]) } : {}),
        ...(random.chance(0.3) ? { 'unshare-child-perms': random.pick([['write'], ['resize'], ['write', 'resize']]) } : {}),
        ...(random.chance(0.15) ? { align: random.pick([512, 3, 4096]) } : {}),
      };
    case 'blkverify':
      return { driver: 'blkverify', ...base, test: child(world), raw: child(world) };
    case 'snapshot-access':
      return { driver: 'snapshot-access', ...base, file: child(world) };
  }
}

/** blockdev-add of a filter or special driver. */
export function addDriverFilter(world: World): void {
  const name = world.fresh('d');
  const options = filterOptions(world, name);
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'filter', options });
}

/** blockdev-add of a quorum over one to three of the world's nodes. */
export function addQuorum(world: World): void {
  const { random } = world;
  const name = world.fresh('qu');
  const children = Array.from({ length: random.int(1, 3) }, () => child(world));
  const options: Record<string, unknown> = { driver: 'quorum', 'node-name': name, children, 'vote-threshold': random.int(1, 3), ...genericOptions(world, 0.2) };
  if (random.chance(0.25)) options['read-pattern'] = random.pick(['quorum', 'fifo']);
  if (random.chance(0.25)) options['rewrite-corrupted'] = random.chance(0.7);
  if (random.chance(0.15)) options['blkverify'] = true;
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'filter', options });
}

/** x-blockdev-change: a node added to a quorum, or a child of it let go (or either of another node). */
export function blockdevChange(world: World): void {
  const { random } = world;
  const quorums = world.nodesOf('filter').filter((node) => node.options['driver'] === 'quorum');
  const parent = quorums.length > 0 && random.chance(0.9) ? random.pick(quorums).name : world.someNode('format', 'filter');
  const args: Record<string, unknown> = { parent };
  if (random.chance(0.5)) args['node'] = world.someNode('file', 'format', 'null', 'filter');
  else args['child'] = `children.${random.int(0, 4)}`;
  world.add({ execute: 'x-blockdev-change', arguments: args });
}

/** blockdev-add of null-aio, or of host_device / host_cdrom over an image (each refused: no image is a device). */
export function addSpecial(world: World): void {
  const { random } = world;
  if (random.chance(0.5)) {
    const name = world.fresh('n');
    const options: Record<string, unknown> = { driver: 'null-aio', 'node-name': name };
    if (random.chance(0.5)) options['size'] = random.pick([0, 512, 1 << 20]);
    if (random.chance(0.2)) options['read-only'] = true;
    world.add({ execute: 'blockdev-add', arguments: options });
    world.nodes.set(name, { name, kind: 'null', options });
    return;
  }
  const filename = random.chance(0.8) ? random.pick(imagePaths) : '$W/missing.img';
  world.add({ execute: 'blockdev-add', arguments: { driver: random.pick(['host_device', 'host_cdrom']), 'node-name': world.fresh('h'), filename, ...genericOptions(world, 0.3) } });
}
