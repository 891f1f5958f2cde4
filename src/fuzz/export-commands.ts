/**
 * The fuzzer's exports besides NBD: vhost-user-blk (a unix socket under $W, now and then one in a
 * missing folder, an inet or fd address), fuse (a regular file of the setup, a folder, a missing
 * path, an image) and vduse-blk (whose device the daemons cannot create without /dev/vduse), each
 * with the options block-export-add has for it (writable, writethrough, iothread, fixed-iothread,
 * logical-block-size, num-queues, growable, allow-other, queue-size…) valid and near-valid, and
 * block-export-del of them. A vhost-user-blk socket is never shared by two exports of a sequence
 * (nor an image's path: the daemon unlinks what is there) and no client connects: what the daemon
 * answers depends on neither timing nor the machine (the fuse mount fails for the daemons' user
 * `nobody`, as the corpus records).
 */
import type { SetupStep } from '../scenario/schema.js';
import { IMAGES, type World } from './world.js';

/** Regular files fuse may mount on (made by the setup), and a folder. */
export const FUSE_MOUNTPOINTS = ['$W/fuse-a', '$W/fuse-b'] as const;

export const EXPORT_SETUP: readonly SetupStep[] = FUSE_MOUNTPOINTS.map((path) => ({ 'qemu-img': ['create', '-f', 'raw', path, '0'] }));

/** The options every export type has, each given now and then. */
function commonOptions(world: World): Record<string, unknown> {
  const { random } = world;
  const out: Record<string, unknown> = {};
  if (random.chance(0.5)) out['writable'] = random.chance(0.7);
  if (random.chance(0.15)) out['writethrough'] = random.chance(0.5);
  if (random.chance(0.12)) {
    if (!world.iothread && random.chance(0.8)) {
      world.add({ execute: 'object-add', arguments: { 'qom-type': 'iothread', id: 'io0' } });
      world.iothread = true;
    }
    out['iothread'] = random.weighted([[4, 'io0'], [1, 'noio']]);
    // never fixed-iothread true: its BlockBackend then refuses to leave the iothread
    // (`Cannot change iothread of active block backend`, blk_root_change_aio_ctx()), and
    // permgraph keeps no AioContexts to say when another command would move it
    if (random.chance(0.2)) out['fixed-iothread'] = false;
  }
  // QEMU 10.0: the export may stay on an inactive node (7.2 refuses the member)
  if (random.chance(0.05)) out['allow-inactive'] = true;
  return out;
}

const BLOCK_SIZES = [512, 4096, 512, 1000, 256, 0, 4 << 20, 2 << 20];

function vhostUserBlk(world: World): Record<string, unknown> {
  const { random } = world;
  const path = `$W/${world.fresh('vu')}.sock`;
  const addr = random.weighted<Record<string, unknown>>([
    [12, { type: 'unix', path }],
    [1, { type: 'unix', path: `$W/nodir/${world.fresh('vu')}.sock` }],
    [1, { type: 'inet', host: '127.0.0.1', port: '0' }],
    [1, { type: 'fd', str: 'nofd' }],
  ]);
  const out: Record<string, unknown> = { addr };
  if (random.chance(0.3)) out['logical-block-size'] = random.pick(BLOCK_SIZES);
  if (random.chance(0.3)) out['num-queues'] = random.pick([1, 2, 4, 0]);
  return out;
}

function fuse(world: World): Record<string, unknown> {
  const { random } = world;
  const mountpoint = random.weighted<string>([[6, random.pick(FUSE_MOUNTPOINTS)], [1, '$W/rw'], [1, '$W/nofile'], [1, IMAGES.raw]]);
  const out: Record<string, unknown> = { mountpoint };
  if (random.chance(0.3)) out['growable'] = random.chance(0.7);
  if (random.chance(0.3)) out['allow-other'] = random.pick(['off', 'on', 'auto']);
  return out;
}

function vduseBlk(world: World): Record<string, unknown> {
  const { random } = world;
  const out: Record<string, unknown> = { name: world.fresh('vd') };
  if (random.chance(0.3)) out['num-queues'] = random.pick([1, 2, 0]);
  if (random.chance(0.3)) out['queue-size'] = random.pick([4, 128, 256, 2, 3, 2048]);
  if (random.chance(0.3)) out['logical-block-size'] = random.pick(BLOCK_SIZES);
  if (random.chance(0.2)) out['serial'] = 'sn1';
  return out;
}

/** block-export-add of a vhost-user-blk, fuse or vduse-blk export, on any node (or none). */
export function addTypedExport(world: World): void {
  const { random } = world;
  const type = random.weighted<string>([[5, 'vhost-user-blk'], [3, 'fuse'], [2, 'vduse-blk']]);
  const id = random.chance(0.05) && world.exports.length > 0 ? random.pick(world.exports) : world.fresh('x');
  const node = world.someNode('format', 'file', 'filter', 'null', 'nbd');
  const variant = type === 'vhost-user-blk' ? vhostUserBlk(world) : type === 'fuse' ? fuse(world) : vduseBlk(world);
  world.add({ execute: 'block-export-add', arguments: { type, id, 'node-name': node, ...commonOptions(world), ...variant } });
  if (!world.exports.includes(id)) world.exports.push(id);
}

/** block-export-del of an export (of any type), now and then of one nobody added or with a mode. */
export function deleteTypedExport(world: World): void {
  const { random } = world;
  if (world.exports.length === 0 || random.chance(0.1)) {
    world.add({ execute: 'block-export-del', arguments: { id: 'noexp' } });
    return;
  }
  const id = world.exports.splice(random.int(0, world.exports.length - 1), 1)[0]!;
  const mode = random.weighted<string | undefined>([[6, undefined], [1, 'safe'], [1, 'hard']]);
  world.add({ execute: 'block-export-del', arguments: { id, ...(mode ? { mode } : {}) }, observe: false });
  // most exports of these types fail to be added: their deletion is refused and no event comes
  world.add({ 'wait-event': 'BLOCK_EXPORT_DELETED', data: { id }, timeout: 3 });
}
