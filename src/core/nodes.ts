/**
 * A node's life in a transaction: opened (its chart at its start, sent `open`), indexed among the
 * users of its file, and closed once no parent is left (bdrv_open_driver(), bdrv_close()).
 */
import { deleteShard, getShard, setShard } from '../graph/shards.js';
import type { BlockNode, NodeName } from '../graph/types.js';
import { storeBitmapsOnClose } from './bitmaps.js';
import { adopt, type DraftNode } from './draft.js';
import { detachNoperm } from './links.js';
import { stepMachine } from './node-chart.js';
import type { Tx } from './tx-state.js';

/** What opening a node decides about it (with its read-only options, for its chart); the rest starts empty. */
export type NewNode = Pick<BlockNode, 'name' | 'generated' | 'driver' | 'options' | 'forceShare' | 'monitorOwned' | 'inheritsFrom' | 'implicit'> & {
  readonly readOnly: boolean;
  readonly autoReadOnly: boolean;
  /** Opened with BDRV_O_INACTIVE (none given: active). */
  readonly inactive?: boolean;
};

/**
 * Adds a node that was just opened: not yet linked, its machine at its start, with these
 * options and flags. Sends the machine `open`.
 */
export function openNode(tx: Tx, fields: NewNode): void {
  const { readOnly, autoReadOnly } = fields;
  const holdsFd = tx.policy(fields.driver).holdsFd;
  const initial = tx.env.stepper.initial({ model: tx.g.model, holdsFd, readOnly, autoReadOnly });
  // one literal (not a spread): every node gets the same shape
  insertNode(tx, {
    name: fields.name,
    generated: fields.generated,
    driver: fields.driver,
    options: fields.options,
    readOnly: initial.readOnly,
    forceShare: fields.forceShare,
    monitorOwned: fields.monitorOwned,
    inheritsFrom: fields.inheritsFrom,
    implicit: fields.implicit,
    seq: tx.nextSeq(),
    machine: initial.state,
    file: null,
    filename: '',
    autoBackingFile: '',
    size: 0,
    parents: [],
    children: [],
    height: 0,
    inactive: fields.inactive ?? false,
  });
}

/** A new node object into the draft, announced, its chart sent `open`. */
function insertNode(tx: Tx, node: DraftNode): void {
  setShard(tx.g.nodes, node.name, adopt(tx.g, node));
  if (node.file) indexFile(tx, node.name);
  tx.emit({ type: 'node.added', node: node.name, driver: node.driver, machine: node.machine.context });
  stepMachine(tx, node, { type: 'open' });
  tx.touch(node.name);
}

/** Records a file node among the users of its file (their lock bytes meet). */
export function indexFile(tx: Tx, name: NodeName): void {
  const identity = tx.mustPeekNode(name).file!.identity;
  const users = getShard(tx.g.fileUsers, identity) ?? [];
  setShard(tx.g.fileUsers, identity, [...users, name]);
}

/** Closes a node that has no parents left: its children are detached first. */
export function removeNode(tx: Tx, name: NodeName): void {
  storeBitmapsOnClose(tx, name);
  const node = tx.mustNode(name);
  if (node.parents.length > 0) throw new Error(`internal: removing '${name}' with parents`);
  for (const id of [...node.children]) detachNoperm(tx, id);
  stepMachine(tx, node, { type: 'close' });
  if (node.file) {
    const users = (getShard(tx.g.fileUsers, node.file.identity) ?? []).filter((n) => n !== name);
    if (users.length) setShard(tx.g.fileUsers, node.file.identity, users);
    else deleteShard(tx.g.fileUsers, node.file.identity);
  }
  deleteShard(tx.g.nodes, name);
  tx.dirty.delete(name);
  tx.emit({ type: 'node.removed', node: name });
}
