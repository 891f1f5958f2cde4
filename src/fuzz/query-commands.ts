/**
 * The fuzzer's queries and small node commands: query-named-block-nodes (flat or not: the whole
 * record is compared), query-block, query-blockstats, block-set-write-threshold,
 * change-backing-file (the image's header is rewritten: later opens of it follow the new name),
 * x-blockdev-set-iothread, and the legacy nbd-server-add / nbd-server-remove.
 */
import { IMAGES, type World } from './world.js';

/** A query of the nodes. query-blockstats with query-nodes only before any job: a job's writes move `wr_highest_offset`, which permgraph does not count. */
/**
 * Image formats whose query-named-block-nodes record permgraph does not give whole yet (their
 * `cluster-size` and `format-specific`, some of it random, as vmdk's cid and luks' uuid): while one
 * is open the fuzzer asks the other queries (docs/fidelity.md, "Not simulated").
 */
const FORMATS_WITHOUT_RECORD: ReadonlySet<unknown> = new Set(['qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'luks', 'bochs', 'cloop', 'dmg']);

export function queryNodes(world: World): void {
  const { random } = world;
  const recordKnown = ![...world.nodes.values()].some((node) => FORMATS_WITHOUT_RECORD.has(node.options['driver']));
  const flat = random.weighted<boolean | undefined>([[2, true], [2, false], [1, undefined]]);
  const choices: (() => void)[] = [
    () => world.add({ execute: 'query-named-block-nodes', ...(flat !== undefined ? { arguments: { flat } } : {}) }),
    () => world.add({ execute: 'query-block' }),
    () => world.add({ execute: 'query-blockstats', ...(world.jobs.length === 0 && random.chance(0.7) ? { arguments: { 'query-nodes': true } } : {}) }),
  ];
  random.weighted([[recordKnown ? 5 : 0, choices[0]!], [1, choices[1]!], [2, choices[2]!]])();
}

export function setWriteThreshold(world: World): void {
  const { random } = world;
  const value = random.weighted([[3, random.int(0, 1 << 24)], [1, 0], [1, -1]]);
  world.add({ execute: 'block-set-write-threshold', arguments: { 'node-name': world.someNode('format', 'file', 'filter', 'null', 'nbd'), 'write-threshold': value } });
}

export function changeBackingFile(world: World): void {
  const { random } = world;
  const device = world.someNode('format', 'filter');
  const image = random.chance(0.7) ? device : world.someNode('format', 'filter', 'file');
  const backingFile = random.pick(['base.qcow2', IMAGES.base, IMAGES.mid, 'mid.qcow2', 'renamed.qcow2', '']);
  world.add({ execute: 'change-backing-file', arguments: { device, 'image-node-name': image, 'backing-file': backingFile } });
}

export function setIothread(world: World): void {
  const { random } = world;
  if (!world.iothread && random.chance(0.8)) {
    world.add({ execute: 'object-add', arguments: { 'qom-type': 'iothread', id: 'io0' } });
    world.iothread = true;
  }
  const iothread = random.weighted<string | null>([[4, 'io0'], [2, null], [1, 'noio']]);
  const args: Record<string, unknown> = { 'node-name': world.someNode('format', 'file', 'filter', 'null', 'nbd'), iothread };
  if (random.chance(0.4)) args['force'] = random.chance(0.7);
  world.add({ execute: 'x-blockdev-set-iothread', arguments: args });
}

/** nbd-server-add of a node (the server started first, mostly), or nbd-server-remove of an export. */
export function legacyNbdExport(world: World): void {
  const { random } = world;
  if (world.exports.length > 0 && random.chance(0.4)) {
    const id = world.exports.splice(random.int(0, world.exports.length - 1), 1)[0]!;
    world.add({ execute: 'nbd-server-remove', arguments: { name: id, ...(random.chance(0.5) ? { mode: random.pick(['safe', 'hard']) } : {}) }, observe: false });
    world.add({ 'wait-event': 'BLOCK_EXPORT_DELETED', data: { id } });
    return;
  }
  if (!world.nbdStarted && random.chance(0.9)) {
    world.add({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '$W/nbd.sock' } } }, observe: false });
    world.nbdStarted = true;
  }
  const device = world.someNode('format', 'file', 'filter', 'null', 'nbd');
  const args: Record<string, unknown> = { device };
  const name = random.chance(0.6) ? world.fresh('l') : device;
  if (name !== device || random.chance(0.3)) args['name'] = name;
  if (random.chance(0.6)) args['writable'] = random.chance(0.6);
  world.add({ execute: 'nbd-server-add', arguments: args });
  world.exports.push(name);
}
