/**
 * The fuzzer's drivers that need a server (src/drivers/network.ts): blockdev-add of ssh, the
 * curl protocols, nfs, rbd, iscsi, gluster and nvme, none of which opens. Only inputs whose answer
 * does not vary with timing: curl reaches no connection but an unresolvable name's (a refused
 * one's text carries the milliseconds it took).
 */
import { genericOptions } from './node-commands.js';
import type { World } from './world.js';

const DRIVERS = ['ssh', 'nfs', 'gluster', 'http', 'https', 'ftp', 'ftps', 'rbd', 'iscsi', 'nvme'];

function sshOptions(world: World): Record<string, unknown> {
  const { random } = world;
  const server = { host: random.pick(['127.0.0.1', 'localhost', 'h.invalid']), port: random.pick(['1', '22', 'x', '']) };
  return { path: '$W/x', server, ...(random.chance(0.3) ? { user: 'u' } : {}) };
}

function nfsOptions(world: World): Record<string, unknown> {
  const { random } = world;
  const options: Record<string, unknown> = { server: { type: 'inet', host: random.pick(['127.0.0.1', 'h.invalid']) }, path: random.pick(['$W/x', '$W/x', 'x']) };
  if (random.chance(0.3)) options['cache'] = { direct: random.chance(0.7) };
  if (random.chance(0.3)) options['readahead-size'] = random.pick([0, 4096]);
  if (random.chance(0.3)) options['page-cache-size'] = random.pick([0, 16]);
  if (random.chance(0.2)) options['user'] = 1000;
  return options;
}

function glusterServer(world: World): Record<string, unknown> {
  const { random } = world;
  if (random.chance(0.2)) return { type: 'unix', path: '$W/sock' };
  const server: Record<string, unknown> = { type: 'inet', host: random.pick(['127.0.0.1', 'h.invalid']), port: random.pick(['1', '24007', 'x', '70000']) };
  if (random.chance(0.1)) server['to'] = 5;
  if (random.chance(0.1)) server['ipv4'] = true;
  return server;
}

function curlOptions(world: World, protocol: string): Record<string, unknown> {
  const { random } = world;
  // the URL's host cannot be resolved: a refused connection's text would carry its timing
  const urlProtocol = random.chance(0.1) ? random.pick(['http', 'https', 'ftp', 'ftps']) : protocol;
  const options: Record<string, unknown> = { url: `${urlProtocol}://h.invalid/x` };
  if (random.chance(0.6)) options[random.chance(0.5) ? 'read-only' : 'auto-read-only'] = true;
  if (random.chance(0.2)) options['readahead'] = random.pick([0, 100, 512, 65536, -512]);
  if (random.chance(0.2)) options['timeout'] = random.pick([5, 10000, 10001, -1]);
  if (random.chance(0.15)) options['cookie'] = 'c';
  if (random.chance(0.15)) options['cookie-secret'] = world.secrets.length > 0 && random.chance(0.5) ? random.pick(world.secrets) : 'nosuch';
  if (random.chance(0.1)) options['password-secret'] = 'nosuch';
  if (random.chance(0.1) && (protocol === 'https' || protocol === 'ftps')) options['sslverify'] = random.chance(0.5);
  return options;
}

function iscsiOptions(world: World): Record<string, unknown> {
  const { random } = world;
  const iser = random.chance(0.2);
  const portal = iser ? random.pick(['127.0.0.1', '127.0.0.1:1']) : random.pick(['127.0.0.1', '127.0.0.1:1', 'h.invalid:3260']);
  const options: Record<string, unknown> = { transport: iser ? 'iser' : 'tcp', portal, target: 'iqn.2000-01.x:y' };
  if (random.chance(0.3)) options['user'] = 'u';
  if (random.chance(0.2)) options['password-secret'] = 'nosuch';
  if (random.chance(0.2)) options['lun'] = random.pick([0, 1]);
  return options;
}

function driverOptions(world: World, driver: string): Record<string, unknown> {
  const { random } = world;
  switch (driver) {
    case 'ssh':
      return sshOptions(world);
    case 'nfs':
      return nfsOptions(world);
    case 'gluster':
      return { volume: 'v', path: '$W/x', server: Array.from({ length: random.int(1, 2) }, () => glusterServer(world)) };
    case 'rbd':
      return { pool: 'p', image: 'i', ...(random.chance(0.3) ? { conf: '$W/nonexist' } : {}) };
    case 'iscsi':
      return iscsiOptions(world);
    case 'nvme':
      return { device: random.pick(['0000:00:00.0', 'x']), namespace: random.pick([0, 1, 2]) };
    default:
      return curlOptions(world, driver);
  }
}

/** blockdev-add of a driver that needs a server (refused: none is reachable). */
export function addNetworkDriver(world: World): void {
  const { random } = world;
  const driver = random.pick(DRIVERS);
  const options = { driver, 'node-name': world.fresh('x'), ...genericOptions(world, 0.2), ...driverOptions(world, driver) };
  world.add({ execute: 'blockdev-add', arguments: options });
}
