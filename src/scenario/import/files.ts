/**
 * The virtual files a transcript's blockdev-add commands name (`filename` of a file node, nested
 * or on its own), declared as a scenario's `files`, with what the transcript shows of them:
 *
 * - format: the driver of the format node over the file node (qcow2 or raw);
 * - backing file: the file under the node a qcow2 node names as its `backing`;
 * - size, format and backing file as a query's reply shows them (`image` of
 *   query-named-block-nodes or query-block: `virtual-size`, `format`, `backing-filename`), the
 *   first reply that names the file winning;
 * - a file that QEMU could not open (`Could not open 'F': Permission denied`) is unreadable, or
 *   unwritable when it was opened read-write; one that does not exist is not declared.
 *
 * What the transcript does not show gets a default, and a comment that says so.
 */
import type { Exchange } from './steps.js';
import { isObject } from './transcript.js';

export interface FileSpec {
  format?: 'raw' | 'qcow2';
  size?: string | number;
  'backing-file'?: string;
  'backing-format'?: 'raw' | 'qcow2';
  writable?: boolean | string;
  readable?: boolean | string;
}

export interface InferredFiles {
  readonly files: Record<string, FileSpec>;
  readonly comments: Record<string, string[]>;
}

interface NodeInfo {
  readonly driver: string;
  readonly path?: string;
  readonly file?: string;
  readonly backing?: string | null;
  readonly readOnly: boolean;
}

const FILE_DRIVERS = new Set(['file', 'host_device', 'host_cdrom']);
const OPEN_ERROR = /^Could not open '(.+)': (.+)$/;
const NO_SUCH_FILE = 'No such file or directory';
const DEFAULT_SIZE = '64M';

const asFormat = (value: unknown): 'raw' | 'qcow2' | undefined => (value === 'raw' || value === 'qcow2' ? value : undefined);

/** Bytes as a size a scenario takes: 64M, 1G, 512K, or a number. */
export function sizeText(bytes: number): string | number {
  for (const [unit, scale] of [['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return bytes;
}

class Inference {
  readonly nodes = new Map<string, NodeInfo>();
  /** Every file named, in the order first named, with what its failed opens said of it. */
  readonly files = new Map<string, FileSpec>();
  readonly comments = new Map<string, string[]>();
  readonly facts = new Map<string, FileSpec>();
  readonly absent = new Set<string>();
  /** Paths of file nodes in a blockdev-add that failed, and whether they were opened read-only. */
  readonly failedOpen = new Map<string, boolean>();
  private anonymous = 0;

  /** A node of a blockdev-add and its inline children; its name (a made-up one when it has none). */
  node(options: Record<string, unknown>, readOnly: boolean, opened: boolean): string {
    const name = typeof options['node-name'] === 'string' ? options['node-name'] : `#${this.anonymous++}`;
    const ro = readOnly || options['read-only'] === true || options['auto-read-only'] === true;
    const child = (value: unknown): string | null | undefined =>
      typeof value === 'string' || value === null ? value : isObject(value) ? this.node(value, ro, opened) : undefined;
    const driver = typeof options['driver'] === 'string' ? options['driver'] : '';
    const path = FILE_DRIVERS.has(driver) && typeof options['filename'] === 'string' ? options['filename'] : undefined;
    const info: NodeInfo = { driver, readOnly: ro, ...(path ? { path } : {}) };
    const [file, backing] = [child(options['file']), child(options['backing'])];
    if (path && !this.files.has(path)) this.files.set(path, {});
    if (opened) this.nodes.set(name, { ...info, ...(file ? { file } : {}), ...(backing !== undefined ? { backing } : {}) });
    else if (path) this.failedOpen.set(path, ro);
    return name;
  }

  comment(path: string, text: string): void {
    this.comments.set(path, [...(this.comments.get(path) ?? []), text]);
  }

  /** ImageInfo objects anywhere in a query's reply. */
  queryFacts(value: unknown, depth = 0): void {
    if (depth > 64 || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => this.queryFacts(v, depth + 1));
    const image = value as Record<string, unknown>;
    const format = asFormat(image['format']);
    if (typeof image['filename'] === 'string' && format && typeof image['virtual-size'] === 'number' && !this.facts.has(image['filename'])) {
      const backing = image['full-backing-filename'] ?? image['backing-filename'];
      const backingFormat = asFormat(image['backing-filename-format']);
      this.facts.set(image['filename'], {
        format,
        size: sizeText(image['virtual-size']),
        ...(typeof backing === 'string' ? { 'backing-file': backing } : {}),
        ...(backingFormat ? { 'backing-format': backingFormat } : {}),
      });
    }
    Object.values(image).forEach((v) => this.queryFacts(v, depth + 1));
  }

  /** What a failed blockdev-add tells of a file: `Could not open 'F': Permission denied`. */
  openError(desc: string, line: number): void {
    const [, path, why] = OPEN_ERROR.exec(desc) ?? [];
    if (!path || !why || !this.failedOpen.has(path)) return;
    if (why === NO_SUCH_FILE) return void this.absent.add(path);
    const readOnly = this.failedOpen.get(path)!;
    const spec = this.files.get(path) ?? {};
    this.files.set(path, spec);
    if (readOnly) spec.readable = why === 'Permission denied' ? false : why;
    else spec.writable = why === 'Permission denied' ? false : why;
    this.comment(path, `QEMU could not open it ${readOnly ? 'read-only' : 'read-write'} at line ${line} (${why}): ${readOnly ? 'unreadable' : 'unwritable'}`);
  }
}

/** What the node graph says of the file under file node `name` (`backing: undefined`: not said). */
function fromGraph(inference: Inference, name: string): FileSpec {
  const over = [...inference.nodes.values()].find((n) => n.file === name && asFormat(n.driver));
  if (!over) return {};
  const spec: FileSpec = { format: asFormat(over.driver)! };
  if (over.driver !== 'qcow2' || over.backing === undefined) return spec;
  const backing = typeof over.backing === 'string' ? inference.nodes.get(over.backing) : undefined;
  const backingPath = backing?.file ? inference.nodes.get(backing.file)?.path : undefined;
  const backingFormat = asFormat(backing?.driver);
  return { ...spec, ...(backingPath ? { 'backing-file': backingPath } : {}), ...(backingFormat ? { 'backing-format': backingFormat } : {}) };
}

export function inferFiles(exchanges: readonly Exchange[]): InferredFiles {
  const inference = new Inference();
  for (const { command, reply } of exchanges) {
    if (command.execute === 'blockdev-add' && command.arguments) {
      inference.failedOpen.clear();
      inference.node(command.arguments, false, !reply || 'return' in reply);
      if (reply && 'error' in reply) inference.openError(reply.error.desc, command.line);
    } else if (/query-/.test(command.execute) && reply && 'return' in reply) inference.queryFacts(reply.return);
  }
  const graph = new Map<string, FileSpec>();
  const unsaid = new Set<string>();
  for (const [name, node] of inference.nodes) {
    if (!node.path || graph.has(node.path)) continue;
    graph.set(node.path, fromGraph(inference, name));
    if ([...inference.nodes.values()].some((n) => n.file === name && n.driver === 'qcow2' && n.backing === undefined)) unsaid.add(node.path);
  }
  const files: [string, FileSpec][] = [];
  for (const [path, known] of inference.files) {
    if (inference.absent.has(path) && !graph.has(path)) continue;
    const spec: FileSpec = { ...graph.get(path), ...inference.facts.get(path), ...known };
    if (!spec.format) inference.comment(path, 'no format node over it in the transcript: raw assumed');
    if (unsaid.has(path) && !spec['backing-file']) inference.comment(path, 'opened without "backing" and no reply names its backing file: none assumed');
    if (spec.size === undefined) inference.comment(path, `its size is not in the transcript: ${DEFAULT_SIZE} assumed`);
    files.push([path, { format: spec.format ?? 'raw', size: spec.size ?? DEFAULT_SIZE, ...spec }]);
  }
  const declared = new Set(files.map(([path]) => path));
  // as own entries, whatever the paths (`__proto__` too)
  const comments = Object.fromEntries([...inference.comments].filter(([path]) => declared.has(path)));
  return { files: Object.fromEntries(files), comments };
}
