/**
 * The core's side of a driver's open (block.c: bdrv_open_driver(), bdrv_open_file_child()): the
 * DriverOpenHost a driver's open works through, on the transaction's node; and the image header
 * under a node, read through raw and filters.
 */
import { castDraft } from 'immer';
import type { BackingName, DirectoryEntry, DriverOpenHost, FileFacts, HeaderFacts } from '../drivers/driver.js';
import type { NbdAddress, NbdExportInfo } from '../drivers/nbd-server.js';
import { Role } from '../drivers/roles.js';
import { getObject } from '../graph/graph.js';
import type { FdMode, Graph, NodeName, OpenFile, VvfatEntry } from '../graph/types.js';
import type { ImageHeader } from '../storage/storage.js';
import { nodeFilename } from './filename.js';
import { attachChild } from './links.js';
import { connectionAlive, connectNode } from './nbd-client.js';
import { stepMachine } from './node-chart.js';
import { indexFile } from './nodes.js';
import { refresh } from './refresh.js';
import { recordWrite } from './write-stats.js';
import { inspectWritten } from './written-images.js';
import { dataNodeBelow } from './data-node.js';

export { dataNodeBelow };
import type { Tx } from './tx-state.js';
import { rulesOf, type ModelRules } from '../models/rules.js';

/** The image header under a node's data: through raw and filters down to a file (read only). */
export function headerBelow(tx: Tx, name: NodeName): ImageHeader | undefined {
  const node = dataNodeBelow(tx, name);
  if (node?.remote) return node.remote.header as ImageHeader | undefined;
  if (!node?.file) return undefined;
  const facts = inspectWritten(tx, node.file.path);
  return 'error' in facts ? undefined : facts.header;
}

/**
 * Why a read of a node's data fails: an NBD client whose server is gone answers EIO
 * (nbd_co_request() on a dead connection; with `reconnect-delay` QEMU would try to reconnect
 * first, which is not simulated: such a node reads as before).
 */
export function readErrorBelow(tx: Tx, name: NodeName): string | null {
  const node = dataNodeBelow(tx, name);
  if (!node?.remote || connectionAlive(tx, node.remote) || Number(node.options['reconnect-delay'] ?? 0) > 0) return null;
  return 'Input/output error';
}

/**
 * The host for opening `name`, whose inline or named `file` child (if its driver has one) is
 * `fileChild`; the backing file the image names is kept in `backing` for the core to open next.
 * A class: one object per open, its methods shared.
 */
export class TxDriverHost implements DriverOpenHost {
  backing: BackingName = {};

  constructor(
    private readonly tx: Tx,
    readonly name: NodeName,
    private fileChild: NodeName | null,
    private readonly openRef: (ref: unknown) => NodeName = () => {
      throw new Error('internal: no child opener');
    },
  ) {}

  get size(): number {
    return this.tx.mustNode(this.name).size;
  }
  set size(size: number) {
    this.tx.mustNode(this.name).size = size;
  }
  get filename(): string {
    return this.tx.mustNode(this.name).filename;
  }
  set filename(filename: string) {
    this.tx.mustNode(this.name).filename = filename;
  }
  fdMode(): FdMode {
    return this.tx.env.stepper.describe(this.tx.mustNode(this.name).machine).fdReadWrite ? 'O_RDWR' : 'O_RDONLY';
  }
  openError(path: string, mode: FdMode): string | null {
    return this.tx.env.storage.openError(path, mode);
  }
  inspect(path: string): FileFacts {
    return inspectWritten(this.tx, path);
  }
  directoryError(path: string): string | null {
    return this.tx.env.storage.directoryError?.(path) ?? null;
  }
  listDirectory(path: string): readonly DirectoryEntry[] {
    return this.tx.env.storage.listDirectory?.(path) ?? [];
  }
  mapDirectory(entries: readonly VvfatEntry[]): void {
    this.tx.mustNode(this.name).vvfat = castDraft({ entries });
  }
  holdFile(file: OpenFile): void {
    this.tx.mustNode(this.name).file = file;
    indexFile(this.tx, this.name);
  }
  attachFile(role: number): void {
    const { tx, name } = this;
    const child = this.mustFileChild();
    attachChild(tx, name, child, 'file', role);
    refresh(tx);
    const node = tx.mustNode(name);
    node.filename = nodeFilename(tx.g as Graph, node);
    node.size = tx.mustNode(child).size;
  }
  openChild(ref: unknown, edgeName: string, role: number): number {
    const { tx, name } = this;
    const child = this.openRef(ref);
    attachChild(tx, name, child, edgeName, role);
    refresh(tx);
    const node = tx.mustNode(name);
    if (role & Role.PRIMARY && !(role & Role.COW)) {
      this.fileChild = child;
      node.size = tx.mustNode(child).size;
    }
    node.filename = nodeFilename(tx.g as Graph, node);
    return tx.mustPeekNode(child).size;
  }
  fileDriver(): string {
    return this.tx.mustPeekNode(this.mustFileChild()).driver;
  }
  readErrorBelowFile(): string | null {
    return readErrorBelow(this.tx, this.mustFileChild());
  }
  headerBelowFile(): HeaderFacts | undefined {
    return headerBelow(this.tx, this.mustFileChild());
  }
  nameBacking(backing: BackingName): void {
    this.backing = backing;
    this.tx.mustNode(this.name).header = castDraft({
      backingFile: backing.backingFile ?? '',
      backingFormat: backing.backingFormat ?? '',
      ...(backing.qcow2 ? { qcow2: backing.qcow2 } : {}),
    });
  }
  get rules(): ModelRules {
    return rulesOf(this.tx.g.model);
  }
  objectType(id: string): string | undefined {
    return getObject(this.tx.g as Graph, id)?.qomType;
  }
  objectProperty(id: string, property: string): unknown {
    const properties = getObject(this.tx.g as Graph, id)?.properties;
    return properties && Object.hasOwn(properties, property) ? properties[property] : undefined;
  }
  connectNbd(address: NbdAddress, exportName: string): NbdExportInfo {
    return connectNode(this.tx, this.name, address, exportName);
  }
  get readOnly(): boolean {
    return this.tx.mustPeekNode(this.name).readOnly;
  }
  wroteFile(end: number): void {
    recordWrite(this.tx, this.mustFileChild(), end);
  }
  degradeToReadOnly(): boolean {
    const node = this.tx.mustPeekNode(this.name);
    if (node.readOnly) return true;
    if (!node.machine.context.autoReadOnly) return false;
    // the node's open flags lose BDRV_O_RDWR; its options stay as given
    stepMachine(this.tx, node, { type: 'options.changed', readOnly: true, autoReadOnly: true });
    return true;
  }

  private mustFileChild(): NodeName {
    if (this.fileChild === null) throw new Error(`internal: node '${this.name}' has no file child to attach`);
    return this.fileChild;
  }
}
