/** Generators of qom-list-types and qom-list-properties (src/commands/qom-types.ts). */
import type { World } from './world.js';

/** Classes, abstract classes, interfaces, a type only one release has, and one nobody has. */
const TYPES = ['object', 'chardev', 'chardev-socket', 'throttle-group', 'iothread', 'event-loop-base', 'tls-creds', 'secret_common',
  'user-creatable', 'interface', 'chardev-hub', 'tls-cipher-suites', 'container', 'nosuch'];

/**
 * qom-list-types with or without each filter, or qom-list-properties of a type (never of
 * qio-net-listener, whose qom-list-properties aborts QEMU 7.2's daemon).
 */
export function qomTypeQuery(world: World): void {
  const { random } = world;
  const typename = random.pick(TYPES);
  if (random.chance(0.5)) {
    world.add({ execute: 'qom-list-properties', arguments: { typename } });
    return;
  }
  const args: Record<string, unknown> = {};
  if (random.chance(0.6)) args['implements'] = typename;
  if (random.chance(0.5)) args['abstract'] = random.chance(0.5);
  world.add({ execute: 'qom-list-types', arguments: args });
}
