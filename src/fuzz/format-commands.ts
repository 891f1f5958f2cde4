/**
 * The fuzzer's image-format commands: blockdev-add of the formats other than raw and qcow2 (qcow,
 * qed, vmdk, vpc, vhdx, vdi, parallels, luks and the read-only bochs, cloop, dmg), over an image
 * of their own or a file of another format, and the `secret` objects luks needs. The setup makes
 * one small image of each format qemu-img can create.
 */
import type { SetupStep } from '../scenario/schema.js';
import { genericOptions } from './node-commands.js';
import { IMAGES, type World } from './world.js';

/** The formats qemu-img creates, each with its image of the setup. */
const CREATED = ['qcow', 'qed', 'vmdk', 'vpc', 'vhdx', 'vdi', 'parallels', 'luks'] as const;
/** The formats no image of the setup is of: every open of theirs is refused. */
const READ_ONLY_FORMATS = ['bochs', 'cloop', 'dmg'] as const;

export const FORMAT_IMAGES: Readonly<Record<(typeof CREATED)[number], string>> = Object.fromEntries(
  CREATED.map((format) => [format, `$W/img.${format}`]),
) as Record<(typeof CREATED)[number], string>;

/** The password a secret of the fuzzer holds (most of the time). */
const PASSWORD = 'fuzz';

/**
 * Every image but the luks one: its PBKDF benchmark fails now and then on a busy machine ("Unable
 * to get accurate CPU usage"), which would fail whole sequences; luks nodes meet files of other
 * formats (the corpus's formats-luks opens a luks image).
 */
export const FORMAT_SETUP: readonly SetupStep[] = CREATED.filter((format) => format !== 'luks').map((format) => ({
  'qemu-img': ['create', '-f', format, FORMAT_IMAGES[format], '1M'],
}));

/** A secret object: the luks image's password, or another one. */
export function addSecret(world: World): void {
  const id = world.fresh('sec');
  world.add({ execute: 'object-add', arguments: { 'qom-type': 'secret', id, data: world.random.chance(0.7) ? PASSWORD : 'wrong' } });
  world.secrets.push(id);
}

/** A luks node's key-secret: a secret of the world, now and then none, an unknown id or a throttle group. */
function keySecret(world: World): string | undefined {
  const { random } = world;
  return random.weighted<string | undefined>([
    [6, world.secrets.length ? random.pick(world.secrets) : undefined],
    [1, undefined],
    [1, 'nosecret'],
    [1, world.groups.length ? random.pick(world.groups) : 'nosecret'],
  ]);
}

export function addImageFormat(world: World): void {
  const { random } = world;
  const format = random.chance(0.8) ? random.pick(CREATED) : random.pick(READ_ONLY_FORMATS);
  const name = world.fresh('i');
  const own = format in FORMAT_IMAGES ? FORMAT_IMAGES[format as keyof typeof FORMAT_IMAGES] : IMAGES.raw;
  // a vpc footer's checksum (it covers the creation time) stands where vdi reads its signature: no text to foresee
  const images = CREATED.filter((f) => f !== 'luks' && !(format === 'vdi' && f === 'vpc')).map((f) => FORMAT_IMAGES[f]);
  const path = random.chance(0.75) && format !== 'luks' ? own : random.pick([IMAGES.raw, IMAGES.base, ...images]);
  const files = world.nodesOf('file');
  const file = files.length > 0 && random.chance(0.3) ? random.pick(files).name : { driver: 'file', filename: path };
  const options: Record<string, unknown> = { driver: format, 'node-name': name, file, ...genericOptions(world, 0.35) };
  if (format === 'luks') {
    const secret = keySecret(world);
    if (secret !== undefined) options['key-secret'] = secret;
  }
  if ((format === 'qcow' || format === 'qed' || format === 'vmdk') && random.chance(0.3)) options['backing'] = null;
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'format', options });
}
