/**
 * The fuzzer's node commands: blockdev-add of every simulated driver with the options management
 * tools set, blockdev-reopen with options changed, added and left out, blockdev-del in any order,
 * block_resize, blockdev-set-active, and storage made unwritable or writable again between commands.
 */
import { IMAGES, type World, type WorldNode } from './world.js';

const imagePaths = Object.values(IMAGES);
/** The images chmod may change: not the immutable one (chmod of an immutable file fails) nor the mounted one. */
const chmodPaths = [IMAGES.raw, IMAGES.base, IMAGES.target, IMAGES.top];

/** The generic options of a node, each given now and then. */
export function genericOptions(world: World, readOnlyLikely: number): Record<string, unknown> {
  const { random } = world;
  const out: Record<string, unknown> = {};
  if (random.chance(readOnlyLikely)) out['read-only'] = random.chance(0.7);
  if (random.chance(0.35)) out['auto-read-only'] = random.chance(0.7);
  if (random.chance(0.08)) out['force-share'] = random.chance(0.7);
  if (random.chance(0.08)) out['discard'] = random.pick(['ignore', 'unmap']);
  if (random.chance(0.06)) out['detect-zeroes'] = random.pick(['off', 'on', 'unmap']);
  // QEMU 10.0's inactive nodes (7.2 refuses the option)
  if (random.chance(0.05)) out['active'] = random.chance(0.8) ? false : true;
  return out;
}

export function addFile(world: World): void {
  const { random } = world;
  const name = world.fresh('f');
  const options: Record<string, unknown> = { driver: 'file', 'node-name': name, filename: random.pick(imagePaths), ...genericOptions(world, 0.3) };
  if (random.chance(0.12)) options['locking'] = random.pick(['on', 'off', 'auto']);
  if (random.chance(0.05)) options['cache'] = { 'no-flush': random.chance(0.5) };
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'file', options });
}

/** The `file` of a format node: a file node by name, or one inline. */
function fileChild(world: World): unknown {
  const files = world.nodesOf('file', 'null', 'nbd');
  if (files.length > 0 && world.random.chance(0.7)) return world.random.pick(files).name;
  return { driver: 'file', filename: world.random.pick(imagePaths) };
}

export function addFormat(world: World): void {
  const { random } = world;
  const name = world.fresh(random.chance(0.7) ? 'q' : 'r');
  const qcow2 = name.startsWith('q');
  const options: Record<string, unknown> = { driver: qcow2 ? 'qcow2' : 'raw', 'node-name': name, file: fileChild(world), ...genericOptions(world, 0.25) };
  if (qcow2) {
    const formats = world.nodesOf('format');
    const backing = random.weighted<unknown>([[4, undefined], [4, null], [2, formats.length ? random.pick(formats).name : null]]);
    if (backing !== undefined) options['backing'] = backing;
  } else if (random.chance(0.25)) {
    // a slice of a raw image, or of an image file's bytes
    options['file'] = { driver: 'file', filename: random.chance(0.5) ? IMAGES.raw : random.pick(imagePaths) };
    if (random.chance(0.7)) options['offset'] = random.pick([0, 512, 4096, 1000, 1 << 20]);
    if (random.chance(0.6)) options['size'] = random.pick([512, 65536, 1 << 20, 1000, 1 << 30]);
  }
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'format', options });
}

export function addNull(world: World): void {
  const name = world.fresh('n');
  const options: Record<string, unknown> = { driver: 'null-co', 'node-name': name };
  if (world.random.chance(0.5)) options['size'] = world.random.pick([0, 512, 1 << 20, 1 << 30]); // a negative size aborts QEMU 7.2 (docs/fidelity.md)
  if (world.random.chance(0.2)) options['read-only'] = true;
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'null', options });
}

export function addFilter(world: World): void {
  const { random } = world;
  const name = world.fresh('t');
  const file = world.someNode('format', 'file', 'null', 'filter', 'nbd');
  let options: Record<string, unknown>;
  if (random.chance(0.5)) {
    if (world.groups.length === 0 || random.chance(0.2)) {
      const id = world.fresh('tg');
      world.add({ execute: 'object-add', arguments: { 'qom-type': 'throttle-group', id, limits: { 'iops-total': 1000 } } });
      world.groups.push(id);
    }
    options = { driver: 'throttle', 'node-name': name, file, 'throttle-group': random.pick(world.groups) };
  } else {
    options = { driver: 'copy-on-read', 'node-name': name, file };
  }
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'filter', options });
}

export function reopen(world: World): void {
  const { random } = world;
  const nodes = world.nodesOf('file', 'format', 'null', 'filter', 'nbd');
  if (nodes.length === 0) return addFile(world);
  const node = random.pick(nodes);
  const options: Record<string, unknown> = { ...node.options };
  if (random.chance(0.6)) options['read-only'] = random.chance(0.5);
  if (random.chance(0.4)) options['auto-read-only'] = random.chance(0.5);
  if (random.chance(0.15)) delete options['read-only'];
  if (random.chance(0.1)) options['detect-zeroes'] = 'on';
  world.add({ execute: 'blockdev-reopen', arguments: { options: [options] } });
}

export function deleteNode(world: World): void {
  const name = world.someNode('file', 'format', 'null', 'filter', 'nbd');
  world.add({ execute: 'blockdev-del', arguments: { 'node-name': name } });
  world.nodes.delete(name);
}

/** Raw images: a truncate that reaches their file changes nothing but its length. */
const RAW_IMAGES: readonly string[] = [IMAGES.raw, IMAGES.readOnly];

/** Whether a resize of the node would truncate a qcow2 image's file from outside (through a file, raw or filter node). */
function cutsAnImage(world: World, node: WorldNode): boolean {
  if (node.kind === 'null' || node.kind === 'nbd' || node.options['driver'] === 'qcow2') return false;
  const file = node.kind === 'file' ? node : node.options['file'];
  if (typeof file === 'string') {
    const below = world.nodes.get(file);
    return below !== undefined && below !== node && cutsAnImage(world, below);
  }
  const filename = (file as { filename?: unknown } | undefined)?.filename ?? node.options['filename'];
  return !RAW_IMAGES.includes(filename as string);
}

/**
 * block_resize of a node (now and then one nobody added), but none whose truncate would cut a
 * qcow2 image's file on disk: the simulation does not write files (docs/fidelity.md), and
 * management tools resize the format node instead.
 */
export function resize(world: World): void {
  const size = world.random.pick([0, 512, 1 << 20, 16 << 20, 1000, 64 << 20]);
  const fit = world.nodesOf('format', 'file', 'filter', 'null', 'nbd').filter((node) => !cutsAnImage(world, node));
  const name = fit.length === 0 || world.random.chance(0.05) ? 'nosuch' : world.random.pick(fit).name;
  world.add({ execute: 'block_resize', arguments: { 'node-name': name, size } });
}

export function chmodImage(world: World): void {
  world.add({ chmod: [world.random.pick(chmodPaths), world.random.pick(['0444', '0644'])] });
}

export function chattrImage(world: World): void {
  world.add({ chattr: [IMAGES.immutable, world.random.pick(['+i', '-i'] as const)] });
}

/** blockdev-set-active (QEMU 10.0): a node and what is below it, or every node. */
export function setActive(world: World): void {
  const { random } = world;
  const args: Record<string, unknown> = { active: random.chance(0.5) };
  if (random.chance(0.85)) args['node-name'] = world.someNode('file', 'format', 'null', 'filter', 'nbd');
  world.add({ execute: 'blockdev-set-active', arguments: args });
}

/** blockdev-snapshot: an overlay (added without a backing, or not) takes a node's place. */
export function snapshot(world: World): void {
  world.add({ execute: 'blockdev-snapshot', arguments: { node: world.someNode('format', 'filter'), overlay: world.someNode('format') } });
}
