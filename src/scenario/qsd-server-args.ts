/**
 * A second qemu-storage-daemon as an NBD server, from its command line: `--blockdev` nodes (file,
 * raw, qcow2), one `--nbd-server` on a unix socket or TCP, one `--export` of type nbd. What a
 * client meets is read off them as off a qemu-nbd: the image file under the exported node, the
 * format it is read in, the export's name (its node's by default) and whether it lets clients
 * write. Options are given as QEMU's key=value lists or as JSON.
 */
import type { NbdAddress } from '../drivers/nbd-server.js';
import { QmpError } from '../messages/errors.js';
import { parseKeyval } from '../qapi/keyval.js';
import { isImageFormat } from '../storage/storage.js';
import type { VirtualNbdServer } from '../storage/virtual-storage.js';

type Options = Record<string, unknown>;

/** `a=1,b.c=x` (QEMU's key=value, keyval.ts) or `{"a": 1, …}`, as nested options; what is wrong otherwise. */
function parseOptions(text: string): Options | string {
  try {
    if (!text.startsWith('{')) return { ...parseKeyval(text) };
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Options) : `not an object: ${text}`;
  } catch (error) {
    if (error instanceof QmpError) return error.desc;
    return `not JSON: ${text}`;
  }
}

const truthy = (value: unknown): boolean => value === true || value === 'on' || value === 'true' || value === 'yes';

/** The server a qemu-storage-daemon command line starts; a message saying what is wrong with it otherwise. */
export function parseQsdServer(args: readonly string[]): VirtualNbdServer | string {
  const nodes = new Map<string, Options>();
  const servers: Options[] = [];
  const exports: Options[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.includes('=') && args[i]!.startsWith('--') ? [args[i]!.slice(0, args[i]!.indexOf('=')), args[i]!.slice(args[i]!.indexOf('=') + 1)] : [args[i]!, undefined];
    if (!['--blockdev', '--nbd-server', '--export'].includes(flag)) return `qemu-storage-daemon: option '${flag}' cannot be simulated`;
    const text = inline ?? args[++i];
    if (text === undefined) return `qemu-storage-daemon: option '${flag}' requires an argument`;
    const options = parseOptions(text);
    if (typeof options === 'string') return `qemu-storage-daemon: ${flag}: ${options}`;
    if (flag === '--blockdev') nodes.set(String(options['node-name']), options);
    else (flag === '--export' ? exports : servers).push(options);
  }
  if (servers.length !== 1 || exports.length !== 1) return 'qemu-storage-daemon: one --nbd-server and one --export can be simulated';
  const exp = exports[0]!;
  const addr = (servers[0]!['addr'] ?? {}) as Options;
  const data = (addr['data'] ?? addr) as Options;
  const address: NbdAddress = addr['type'] === 'inet'
    ? { type: 'inet', host: String(data['host']), port: String(data['port']) }
    : { type: 'unix', path: String(data['path']) };
  const exported = nodes.get(String(exp['node-name']));
  if (!exported) return `qemu-storage-daemon: --export of a node no --blockdev made: '${String(exp['node-name'])}'`;
  // down to the file node: the image, and the format it is read in
  let node: Options | undefined = exported;
  const format = String(exported['driver']);
  while (node && node['driver'] !== 'file') node = typeof node['file'] === 'string' ? nodes.get(node['file']) : (node['file'] as Options | undefined);
  if (!node) return 'qemu-storage-daemon: the exported node has no file node below it';
  if (format !== 'file' && !isImageFormat(format)) return `qemu-storage-daemon: only file, raw and qcow2 nodes can be simulated, not '${format}'`;
  return {
    address,
    image: String(node['filename']),
    format: format === 'file' ? 'raw' : format,
    exportName: String(exp['name'] ?? exp['node-name']),
    readOnly: !truthy(exp['writable']),
    nodeReadOnly: truthy(exported['read-only']),
    persistent: true,
    maxClients: Number.MAX_SAFE_INTEGER,
    contexts: ['base:allocation'],
  };
}
