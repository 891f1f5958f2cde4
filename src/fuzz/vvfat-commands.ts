/**
 * The fuzzer's vvfat (src/drivers/vvfat.ts): blockdev-add over the setup's small directory
 * (`$W/rw`, whose one image fits even a floppy), a missing one or a file, with its FAT types,
 * floppy, labels and `rw` on a read-only node. One that opens joins the world's protocol nodes.
 */
import { genericOptions } from './node-commands.js';
import { IMAGES, type World } from './world.js';

export function addVvfat(world: World): void {
  const { random } = world;
  const name = world.fresh('v');
  const options: Record<string, unknown> = {
    driver: 'vvfat',
    'node-name': name,
    dir: random.pick(['$W/rw', '$W/rw', '$W/rw', '$W/nope', IMAGES.raw]),
    ...genericOptions(world, 0.6),
  };
  if (random.chance(0.3)) options['fat-type'] = random.pick([0, 12, 16, 32, 17]);
  if (random.chance(0.3)) options['floppy'] = random.chance(0.7);
  if (random.chance(0.2)) options['label'] = random.pick(['', 'QEMU', 'abcdefghijk', 'abcdefghijkl']);
  // rw on a node opened read-write would make a write target in a temporary file (not simulated)
  if (random.chance(0.15) && options['read-only'] === true) options['rw'] = random.chance(0.7);
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'null', options });
}
