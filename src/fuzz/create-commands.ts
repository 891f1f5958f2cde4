/**
 * The fuzzer's blockdev-create and x-blockdev-amend: files made or truncated (new ones, the raw
 * image, the unwritable one, images nodes hold), qcow2 images written over file nodes or an
 * inline one with options QEMU checks, drivers without a create, and amends of format nodes.
 * The job runs on its own after the reply: it is observed once concluded (`wait-job`), then
 * dismissed or left for the job verbs.
 */
import { IMAGES, type World } from './world.js';

const MB = 1 << 20;

/** The job's end, waited for; its id left to the job verbs or dismissed. */
function settle(world: World, id: string, dismiss: number): void {
  world.add({ 'wait-job': id, status: ['concluded', 'absent'], timeout: 30 });
  if (world.random.chance(dismiss)) world.add({ execute: 'job-dismiss', arguments: { id } });
  else world.jobs.push(id);
}

/** A job id: mostly fresh, some taken or malformed. */
function jobId(world: World, prefix: string): string {
  return world.random.weighted<() => string>([
    [12, () => world.fresh(prefix)],
    [1, () => (world.jobs.length ? world.random.pick(world.jobs) : world.fresh(prefix))],
    [1, () => '9bad'],
  ])();
}

function fileOptions(world: World): Record<string, unknown> {
  const { random } = world;
  const filename = random.weighted<string>([[4, '$W/new.img'], [2, IMAGES.raw], [1, IMAGES.readOnly], [1, IMAGES.target], [1, IMAGES.top]]);
  const options: Record<string, unknown> = { driver: 'file', filename, size: random.pick([MB, 4 * MB]) };
  if (random.chance(0.2)) options['preallocation'] = random.weighted([[2, 'off'], [1, 'falloc'], [1, 'metadata']]);
  if (random.chance(0.1)) options['nocow'] = random.chance(0.5);
  if (random.chance(0.05)) options['extent-size-hint'] = random.pick([MB, 8 * 1024 * MB]);
  return options;
}

function qcow2Options(world: World): Record<string, unknown> {
  const { random } = world;
  // over file nodes (a header written into a format node's guest data is not simulated: docs/qmp.md)
  const file = random.chance(0.85) ? world.someNode('file') : { driver: 'file', filename: random.pick(['$W/new.img', IMAGES.raw]) };
  const options: Record<string, unknown> = { driver: 'qcow2', file, size: random.weighted([[8, MB], [3, 4 * MB], [1, 1000]]) };
  if (random.chance(0.15)) options['version'] = random.pick(['v2', 'v3']);
  if (random.chance(0.1)) options['lazy-refcounts'] = true;
  if (random.chance(0.1)) options['cluster-size'] = random.pick([4096, 65536, 1000]);
  if (random.chance(0.08)) options['extended-l2'] = true;
  if (random.chance(0.2)) options['backing-file'] = IMAGES.base;
  if (random.chance(0.15)) options['backing-fmt'] = 'qcow2';
  if (random.chance(0.05)) options['refcount-bits'] = random.pick([8, 3, 128]);
  if (random.chance(0.05)) options['preallocation'] = 'metadata';
  if (random.chance(0.05)) options['data-file-raw'] = true;
  return options;
}

export function createImage(world: World): void {
  const { random } = world;
  const id = jobId(world, 'c');
  const driver = random.weighted<string>([[4, 'file'], [5, 'qcow2'], [1, 'none']]);
  const options = driver === 'file' ? fileOptions(world) : driver === 'qcow2' ? qcow2Options(world) : { driver: random.pick(['raw', 'null-co', 'throttle']) };
  world.add({ execute: 'blockdev-create', arguments: { 'job-id': id, options }, observe: false });
  settle(world, id, 0.5);
}

export function amendImage(world: World): void {
  const { random } = world;
  const id = jobId(world, 'a');
  const name = world.someNode('format', 'file');
  const own = world.nodes.get(name)?.options['driver'];
  const driver = random.chance(0.8) && typeof own === 'string' ? own : random.pick(['qcow2', 'raw', 'file']);
  const options: Record<string, unknown> = { driver };
  if (driver === 'qcow2' && random.chance(0.4)) options['encrypt'] = { format: 'luks', state: 'inactive', keyslot: 1 };
  world.add({ execute: 'x-blockdev-amend', arguments: { 'job-id': id, 'node-name': name, options, ...(random.chance(0.2) ? { force: true } : {}) }, observe: false });
  settle(world, id, 0.7);
}
