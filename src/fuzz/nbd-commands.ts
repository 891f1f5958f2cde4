/**
 * The fuzzer's NBD side: three qemu-nbd servers of the setup (one read-only, one writable with a
 * named export, one that ends with its last client), NBD client nodes on them with the options management tools set (and now and then
 * a wrong export name or a socket nobody listens on), and the servers stopped and started again,
 * read-only or writable, between commands.
 */
import type { SetupStep, Step } from '../scenario/schema.js';
import { genericOptions } from './node-commands.js';
import type { World } from './world.js';

/**
 * The servers, each serving an image of its own that nothing else opens; `once` is started without
 * `-t`, so it ends with its last client (and is never stopped by a step, which could find it gone).
 */
export const NBD_SERVERS = {
  ro: { socket: '$W/nbd-ro.sock', image: '$W/nbd-ro.img', exportName: '', persistent: true },
  rw: { socket: '$W/nbd-rw.sock', image: '$W/nbd-rw.img', exportName: 'disk', persistent: true },
  once: { socket: '$W/nbd-once.sock', image: '$W/nbd-once.img', exportName: '', persistent: false },
} as const;

type ServerName = keyof typeof NBD_SERVERS;

/** A qemu-nbd start of that server, read-only or not. */
function serve(name: ServerName, readOnly: boolean): Extract<Step, { 'qemu-nbd': unknown }> & SetupStep {
  const { socket, image, exportName, persistent } = NBD_SERVERS[name];
  const args = [...(readOnly ? ['-r'] : []), ...(persistent ? ['-t'] : []), '-e', '16', '-f', 'raw', ...(exportName ? ['-x', exportName] : []), '-k', socket, image];
  return { 'qemu-nbd': { args, wait_for: socket } };
}

export const NBD_SETUP: readonly SetupStep[] = [
  { 'qemu-img': ['create', '-f', 'raw', NBD_SERVERS.ro.image, '1048576'] },
  { 'qemu-img': ['create', '-f', 'raw', NBD_SERVERS.rw.image, '2097152'] },
  { 'qemu-img': ['create', '-f', 'raw', NBD_SERVERS.once.image, '1048576'] },
  serve('ro', true),
  serve('rw', false),
  serve('once', false),
];

export function addNbd(world: World): void {
  const { random } = world;
  const name = world.fresh('b');
  const server = random.pick(['ro', 'rw', 'once'] as const);
  const path = random.chance(0.05) ? '$W/nobody.sock' : NBD_SERVERS[server].socket;
  const options: Record<string, unknown> = { driver: 'nbd', 'node-name': name, server: { type: 'unix', path }, ...genericOptions(world, 0.3) };
  const exportName = random.weighted<string | undefined>([[8, NBD_SERVERS[server].exportName || undefined], [1, 'wrong'], [1, undefined]]);
  if (exportName !== undefined) options['export'] = exportName;
  world.add({ execute: 'blockdev-add', arguments: options });
  world.nodes.set(name, { name, kind: 'nbd', options });
}

/** A server stopped, or started again (in place of a running one) read-only or writable. */
export function changeNbdServer(world: World): void {
  const { random } = world;
  const server = random.pick(['ro', 'rw', 'once'] as const);
  if (server === 'once' || world.stoppedServers.has(server) || random.chance(0.5)) {
    world.add(serve(server, random.chance(0.5)));
    world.stoppedServers.delete(server);
  } else {
    world.add({ 'qemu-nbd-stop': NBD_SERVERS[server].socket });
    world.stoppedServers.add(server);
  }
}
