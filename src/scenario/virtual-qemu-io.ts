/**
 * `qemu-io -c 'write [-P PATTERN] OFFSET LENGTH' FILE` in a scenario's setup, read as what it does
 * to the file's size on disk: a raw file grows to cover the write; a qcow2 image allocates the
 * clusters the write covers, and its L2 tables. Block jobs and raw slices compare these sizes
 * (a file node's length is its file's size), so the virtual file must know them.
 */
import type { VirtualFile, VirtualStorage } from '../storage/virtual-storage.js';
import { ScenarioError } from './load.js';
import { parseSize } from './sizes.js';
import { withWrite } from '../storage/status-run.js';
import { QCOW2_DEFAULTS } from '../graph/node-header.js';
import { clustersPerL2, METADATA_CLUSTERS } from '../drivers/qcow2-layout.js';

/** How much of a raw file's start the virtual storage keeps the bytes of. */
const HEADER_BYTES = 1024;

/** The write commands' [offset, length] in bytes; other qemu-io commands change no size. */
function writes(commands: readonly string[], where: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const command of commands) {
    const words = command.trim().split(/\s+/);
    if (words[0] !== 'write') continue;
    const numbers = words.slice(1).filter((word, i, all) => !word.startsWith('-') && !all[i - 1]?.startsWith('-P'));
    const [offset, length] = numbers.map((n) => parseSize(n.replace(/b$/, '')));
    if (offset === undefined || length === undefined) throw new ScenarioError(`${where}: qemu-io: cannot read '${command}' (write OFFSET LENGTH)`);
    const pattern = words.indexOf('-P') > 0 ? Number(words[words.indexOf('-P') + 1]) : 0xcd;
    out.push([offset, length, Number.isInteger(pattern) ? pattern & 0xff : 0xcd]);
  }
  return out;
}

/**
 * qcow2_alloc_clusters(): the clusters a write covers (of the image's own size) join the image's;
 * the size follows from them: the header, refcount table, first refcount block and L1 table, the
 * L2 tables, the data, and a refcount block more for each further cluster_size * 8 / refcount_bits
 * clusters in use.
 */
function qcow2After(file: VirtualFile, offset: number, length: number): VirtualFile {
  const facts = file.qcow2 ?? QCOW2_DEFAULTS;
  const cluster = facts.clusterSize;
  const clusters = new Set(file.clusters ?? []);
  for (let c = Math.floor(offset / cluster); c * cluster < offset + length; c++) clusters.add(c);
  const perL2 = clustersPerL2(facts);
  const l2Tables = new Set([...clusters].map((c) => Math.floor(c / perL2))).size;
  const inUse = withRefcountBlocks(METADATA_CLUSTERS + l2Tables + clusters.size, (cluster * 8) / facts.refcountBits);
  return { ...file, clusters: [...clusters].sort((a, b) => a - b), fileSize: inUse * cluster };
}

/** `clusters` in use (the first refcount block among them) with the further refcount blocks they need. */
function withRefcountBlocks(clusters: number, perBlock: number): number {
  let total = clusters;
  while (Math.ceil(total / perBlock) - 1 > total - clusters) total++;
  return total;
}

/** The bytes of a raw file's first KiB that writes set, each a pattern byte (a header written by hand). */
function poke(bytes: Readonly<Record<number, number>> | undefined, offset: number, length: number, pattern: number): Readonly<Record<number, number>> {
  const out: Record<number, number> = { ...bytes };
  for (let at = offset; at < Math.min(offset + length, HEADER_BYTES); at++) out[at] = pattern;
  return out;
}

export function qemuIo(storage: VirtualStorage, args: readonly string[], where: string): void {
  const commands: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') commands.push(args[++i] ?? '');
    else if (args[i] === '-f') i++;
    else if (!args[i]!.startsWith('-')) positional.push(args[i]!);
  }
  const path = positional.at(-1);
  const found = path === undefined ? undefined : storage.files.get(path);
  if (!path || !found) throw new ScenarioError(`${where}: qemu-io: no such file '${path ?? ''}'`);
  let file = found;
  for (const [offset, length, pattern] of writes(commands, where)) {
    file = file.format === 'qcow2' ? qcow2After(file, offset, length) : { ...file, size: Math.max(file.size ?? 0, offset + length) };
    if ((file.format ?? 'raw') === 'raw') file = { ...file, bytes: poke(file.bytes, offset, length, pattern), ...(file.data ? { data: withWrite(file.data, offset, length) } : {}) };
  }
  storage.put(path, file);
}
