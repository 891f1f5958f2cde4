/**
 * The core's side of a driver's open (block.c: bdrv_open_driver(), bdrv_open_file_child()): the
 * DriverOpenHost a driver's open works through, on the transaction's node; and the image header
 * under a node, read through raw and filters.
 */
import type { BackingName, DriverOpenHost } from '../drivers/driver.js';
import { getObject } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import type { ImageHeader } from '../storage/storage.js';
import { nodeFilename } from './filename.js';
import { attachChild } from './links.js';
import { indexFile } from './nodes.js';
import { refresh } from './refresh.js';
import type { Tx } from './tx-state.js';

/** The image header under a node's data: through raw and filters down to a file (read only). */
export function headerBelow(tx: Tx, name: NodeName): ImageHeader | undefined {
  for (let node = tx.peekNode(name); node; ) {
    if (node.file) {
      const facts = tx.env.storage.inspect(node.file.path);
      return 'error' in facts ? undefined : facts.header;
    }
    const driver = tx.policy(node.driver);
    if (!driver.isFilter && driver.passesHeader?.(node.options) !== true) return undefined;
    const file = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
    node = file && tx.peekNode(file.child);
  }
  return undefined;
}

/**
 * The host for opening `name`, whose inline or named `file` child (if its driver has one) is
 * `fileChild`; the backing file the image names goes to `nameBacking`.
 */
export function driverHost(tx: Tx, name: NodeName, fileChild: NodeName | null, nameBacking: (backing: BackingName) => void): DriverOpenHost {
  const mustFileChild = (): NodeName => {
    if (fileChild === null) throw new Error(`internal: node '${name}' has no file child to attach`);
    return fileChild;
  };
  return {
    name,
    get size(): number {
      return tx.mustNode(name).size;
    },
    set size(size: number) {
      tx.mustNode(name).size = size;
    },
    get filename(): string {
      return tx.mustNode(name).filename;
    },
    set filename(filename: string) {
      tx.mustNode(name).filename = filename;
    },
    fdMode: () => (tx.env.stepper.describe(tx.mustNode(name).machine).fdReadWrite ? 'O_RDWR' : 'O_RDONLY'),
    openError: (path, mode) => tx.env.storage.openError(path, mode),
    inspect: (path) => tx.env.storage.inspect(path),
    holdFile(file) {
      tx.mustNode(name).file = file;
      indexFile(tx, name);
    },
    attachFile(role) {
      const child = mustFileChild();
      attachChild(tx, name, child, 'file', role);
      refresh(tx);
      const node = tx.mustNode(name);
      node.filename = nodeFilename(tx.g as Graph, node);
      node.size = tx.mustNode(child).size;
    },
    headerBelowFile: () => headerBelow(tx, mustFileChild()),
    nameBacking,
    objectType: (id) => getObject(tx.g as Graph, id)?.qomType,
  };
}
