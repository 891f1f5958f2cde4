/**
 * The fuzzer's character devices: chardevs of the backends permgraph simulates added, changed and
 * removed (now and then the monitor's own `qmp0`, a duplicate or an id nobody added), ringbufs
 * written and read in both formats, and the chardev queries. A file chardev's `out` is always a
 * fresh file (the daemon truncates what it opens), its `in` the raw image or a missing file; a
 * ringbuf is never of size 0 (QEMU then writes out of its buffer).
 */
import type { World } from './world.js';

const MONITOR = 'qmp0';

/** A backend of a kind permgraph simulates, with a share of refusals. */
function backend(world: World): Record<string, unknown> {
  const { random } = world;
  const kind = random.weighted<string>([[4, 'ringbuf'], [1, 'memory'], [2, 'null'], [2, 'file'], [1, 'socket'], [1, 'msmouse']]);
  switch (kind) {
    case 'ringbuf':
    case 'memory':
      return { type: kind, data: random.chance(0.2) ? {} : { size: random.pick([1, 2, 8, 16, 64, 3, 12, -8]) } };
    case 'file': {
      const data: Record<string, unknown> = { out: `$W/${world.fresh('cd')}.txt` };
      if (random.chance(0.3)) data['in'] = random.pick(['$W/disk.img', '$W/nosuch.txt']);
      if (random.chance(0.2)) data['append'] = true;
      return { type: 'file', data };
    }
    case 'socket':
      return { type: 'socket', data: { addr: { type: 'unix', data: { path: `$W/${world.fresh('cd')}.sock` } }, server: true, wait: false } };
    default:
      return { type: kind, data: {} };
  }
}

/** An id added before (most of the time), the monitor's, or one nobody added. */
function someChardev(world: World): string {
  const { random } = world;
  if (world.chardevs.length === 0 || random.chance(0.15)) return random.pick([MONITOR, 'nochr']);
  return random.pick(world.chardevs);
}

export function addChardev(world: World): void {
  const id = world.chardevs.length > 0 && world.random.chance(0.1) ? someChardev(world) : world.fresh('c');
  world.chardevs.push(id);
  world.add({ execute: 'chardev-add', arguments: { id, backend: backend(world) } });
}

export function changeChardev(world: World): void {
  world.add({ execute: 'chardev-change', arguments: { id: someChardev(world), backend: backend(world) } });
}

export function removeChardev(world: World): void {
  const id = someChardev(world);
  world.add({ execute: world.random.chance(0.2) ? 'chardev-send-break' : 'chardev-remove', arguments: { id } });
}

const TEXTS = ['hello', 'a longer line of text, over sixteen bytes', '\u00e9t\u00e9', '\u20ac', 'a\u0000b', ''];
const BASE64 = ['aGVsbG8=', 'QUJD\nRA', '=QUJD', 'w/8=', '!!', 'AAECAwQFBgcICQoL'];

/** ringbuf-write or ringbuf-read, in either format. */
export function ringbufIo(world: World): void {
  const { random } = world;
  const device = someChardev(world);
  const base64 = random.chance(0.3);
  const format = base64 ? { format: 'base64' } : random.chance(0.2) ? { format: 'utf8' } : {};
  if (random.chance(0.5)) {
    world.add({ execute: 'ringbuf-write', arguments: { device, data: random.pick(base64 ? BASE64 : TEXTS), ...format } });
  } else {
    world.add({ execute: 'ringbuf-read', arguments: { device, size: random.pick([1, 3, 5, 16, 100, 0, -1]), ...format } });
  }
}

export function queryChardevs(world: World): void {
  world.add({ execute: world.random.chance(0.8) ? 'query-chardev' : 'query-chardev-backends' });
}

/**
 * qom-list or qom-get over the tree: the containers, the throttle groups and chardevs added (by
 * absolute or partial path), and a path nobody made; qom-get only of what permgraph knows the value
 * of (`type`, a child, a socket's state).
 */
export function qomQuery(world: World): void {
  const { random } = world;
  const group = world.groups.length > 0 ? random.pick(world.groups) : 'nogroup';
  const chardev = someChardev(world);
  const path = random.pick(['/', '/objects', '/chardevs', `/objects/${group}`, `/chardevs/${chardev}`, chardev, group, '/nosuch', '']);
  if (random.chance(0.6)) {
    world.add({ execute: 'qom-list', arguments: { path } });
    return;
  }
  const property = random.pick(['type', 'type', 'objects', 'chardevs', group, chardev, 'connected', 'nosuch']);
  world.add({ execute: 'qom-get', arguments: { path, property } });
}
