/**
 * The fuzzer's jobs and exports: every job type, throttled (`speed: 1`) on images that hold data
 * so that nothing races, every verb in and out of turn; NBD exports on and off; and a share of
 * commands that must be refused (unknown names, wrong types, missing members).
 */
import type { World } from './world.js';

/**
 * The images of the other formats hold no data: a mirror of one has nothing to copy and turns
 * ready after a wall-clock slice (BLOCK_JOB_SLICE_TIME), a race with the next command.
 */
const EMPTY_IMAGE_DRIVERS: ReadonlySet<unknown> = new Set(['qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'luks', 'bochs', 'cloop', 'dmg']);

/** A node for a job to start on: a format or filter node over data, now and then a name nobody added. */
function jobDevice(world: World): string {
  const nodes = world.nodesOf('format', 'filter').filter((node) => !EMPTY_IMAGE_DRIVERS.has(node.options['driver']));
  return nodes.length === 0 || world.random.chance(0.05) ? world.random.pick(['nosuch', 'f0', 'top']) : world.random.pick(nodes).name;
}

export function startJob(world: World): void {
  const { random } = world;
  const id = world.fresh('j');
  const device = jobDevice(world);
  const execute = random.pick(['block-commit', 'block-stream', 'blockdev-mirror', 'blockdev-backup']);
  // a block-stream job left concluded (auto-dismiss off) makes QEMU 7.2's query-named-block-nodes
  // crash (SIGSEGV): a known failure of the daemon (docs/fidelity.md), not generated
  const keep = execute !== 'block-stream' && random.chance(0.3);
  const common = { 'job-id': id, speed: 1, ...(keep ? { 'auto-dismiss': false } : {}), ...(random.chance(0.2) ? { 'auto-finalize': false } : {}) };
  const target = (): string => world.someNode('format');
  const args: Record<string, unknown> = { ...common, device };
  if (random.chance(0.15)) args['filter-node-name'] = world.fresh('jf');
  if (execute === 'block-commit' || execute === 'block-stream') {
    if (random.chance(0.4)) args['base-node'] = world.someNode('format');
    else if (execute === 'block-stream' && random.chance(0.15)) args['bottom'] = world.someNode('format');
    if (execute === 'block-commit' && random.chance(0.3)) args['top-node'] = world.someNode('format');
    // members QEMU 10.0 added: 7.2 refuses them as unexpected
    if (random.chance(0.08)) args['backing-mask-protocol'] = random.chance(0.5);
  } else {
    args['target'] = target();
    args['sync'] = random.weighted([[6, 'full'], [2, 'top'], [1, 'none']]);
    if (execute === 'blockdev-backup' && random.chance(0.12)) args['discard-source'] = random.chance(0.7);
    // what a source that cannot be read does to the job (`ignore` would make the daemon retry in a loop)
    if (random.chance(0.1)) args['on-source-error'] = random.pick(['report', 'stop', 'enospc']);
    if (execute === 'blockdev-mirror') mirrorCopyArgs(world, args);
  }
  world.add({ execute, arguments: args });
  world.jobs.push(id);
}

/** A mirror's granularity and buffer now and then, refused ones among them (blockdev_mirror_common(), mirror_start_job()). */
function mirrorCopyArgs(world: World, args: Record<string, unknown>): void {
  const { random } = world;
  if (random.chance(0.15)) args['granularity'] = random.weighted<number>([[3, 4096], [2, 65536], [1, 512], [1, 131072], [1, 1000], [1, 256], [1, 0]]);
  if (random.chance(0.1)) args['buf-size'] = random.weighted<number>([[3, 65536], [1, 1], [1, 0], [1, -1]]);
}

export function jobVerb(world: World): void {
  const { random } = world;
  const id = world.someJob();
  const verb = random.weighted<string>([
    [3, 'job-pause'], [3, 'job-resume'], [3, 'job-cancel'], [2, 'job-complete'], [2, 'job-finalize'],
    [2, 'job-dismiss'], [2, 'block-job-set-speed'], [1, 'block-job-cancel'], [1, 'block-job-complete'],
    [1, 'block-job-change'],
  ]);
  const args: Record<string, unknown> = verb.startsWith('block-job') && verb !== 'block-job-change' ? { device: id } : { id };
  if (verb === 'block-job-set-speed') args['speed'] = random.pick([1, 2, -1]);
  if (verb === 'block-job-change') Object.assign(args, changeArgs(world));
  // a pause, resume or cancel takes effect at the job's next pause point: observed after a wait
  const settles = verb === 'job-pause' || verb === 'job-resume' || verb.endsWith('cancel');
  world.add({ execute: verb, arguments: args, ...(settles ? { observe: false } : {}) });
  if (verb.endsWith('cancel') && id !== 'nojob') {
    world.add({ 'wait-job': id, status: ['absent', 'concluded'], timeout: 30 });
  }
}

/** block-job-change (QEMU 8.2): the variant is read by the type the caller names, right or not. */
function changeArgs(world: World): Record<string, unknown> {
  const type = world.random.weighted<string>([[4, 'mirror'], [1, 'commit'], [1, 'backup']]);
  const mode = world.random.weighted<string>([[3, 'write-blocking'], [1, 'background']]);
  return type === 'mirror' ? { type, 'copy-mode': mode } : { type };
}

export function addExport(world: World): void {
  const { random } = world;
  if (!world.nbdStarted) {
    world.add({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '$W/nbd.sock' } } }, observe: false });
    world.nbdStarted = true;
  }
  const id = world.fresh('e');
  const args: Record<string, unknown> = { type: 'nbd', id, 'node-name': world.someNode('format', 'file', 'filter', 'null', 'nbd'), writable: random.chance(0.5) };
  // QEMU 10.0: the export may stay on an inactive node
  if (random.chance(0.08)) args['allow-inactive'] = true;
  world.add({ execute: 'block-export-add', arguments: args });
  world.exports.push(id);
}

export function deleteExport(world: World): void {
  if (world.exports.length === 0) return addExport(world);
  const id = world.exports.splice(world.random.int(0, world.exports.length - 1), 1)[0]!;
  world.add({ execute: 'block-export-del', arguments: { id }, observe: false });
  world.add({ 'wait-event': 'BLOCK_EXPORT_DELETED', data: { id } });
}

/** Commands QEMU must refuse, each in its own words. */
export function invalid(world: World): void {
  const { random } = world;
  const node = world.someNode('format', 'file');
  const cases: readonly (() => Record<string, unknown>)[] = [
    () => ({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': node, filename: '$W/disk.img' } }),
    () => ({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': world.fresh('x'), file: 'nosuch' } }),
    () => ({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': world.fresh('x'), filename: '$W/disk.img', 'read-only': 'yes' } }),
    () => ({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': world.fresh('x') } }),
    () => ({ execute: 'blockdev-del', arguments: { 'node-name': 7 } }),
    () => ({ execute: 'block_resize', arguments: { 'node-name': node, size: -512 } }),
    () => ({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': world.fresh('x'), file: node, [random.pick(['offset', 'size'])]: -512 } }),
    () => ({ execute: 'block-export-add', arguments: { type: 'nbd', id: '1bad', 'node-name': node } }),
    () => ({ execute: 'blockdev-reopen', arguments: { options: [{ driver: 'raw', 'node-name': node }] } }),
    () => ({ execute: 'job-pause', arguments: {} }),
    () => ({ execute: 'query-named-block-nodes', arguments: { flat: 'no' } }),
  ];
  world.add(random.pick(cases)() as { execute: string; arguments: Record<string, unknown> });
}
