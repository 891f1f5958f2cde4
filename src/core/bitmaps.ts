/**
 * What a transaction does to dirty bitmaps beside the bitmap commands: a qcow2 image stores its
 * node's persistent bitmaps when the node closes or turns read-only, and loads them when it opens
 * (block/qcow2-bitmap.c), and a truncate resizes them (bdrv_dirty_bitmap_truncate()).
 */
import { bitmapsOf, nodeLength } from '../graph/bitmaps.js';
import { cleared, withBitsSet } from '../graph/bitmap-bits.js';
import { getNode } from '../graph/graph.js';
import type { BlockNode, DirtyBitmap, Graph, NodeName, StoredBitmap } from '../graph/types.js';
import type { Tx } from './tx-state.js';
import { fail } from '../messages/errors.js';
import { castDraft } from 'immer';
import { directoryEnd, writeBitmapDirectory } from '../drivers/qcow2-bitmaps.js';
import { fileChildOf } from '../graph/file-child.js';
import { writeImage } from './image-writes.js';
import { recordWrite } from './write-stats.js';
import { msg } from '../messages/messages.js';

/** The drivers with .bdrv_co_can_store_new_dirty_bitmap (qcow2 alone among those simulated). */
export const storesPersistentBitmaps = (driver: string): boolean => driver === 'qcow2';

/** The node's bitmaps become these (none: the member goes). */
export function setBitmaps(tx: Tx, name: NodeName, bitmaps: readonly DirtyBitmap[]): void {
  const node = tx.mustNode(name);
  if (bitmaps.length > 0) node.bitmaps = castDraft([...bitmaps]);
  else if (node.bitmaps !== undefined) delete node.bitmaps;
}

/** The identity of the file under a format node's `file` links, where its image lives. */
function imageIdentity(tx: Tx, name: NodeName): string | undefined {
  for (let at = tx.peekNode(name), hops = 0; at && hops < 64; hops++) {
    if (at.file) return at.file.identity;
    const file = at.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
    at = file && tx.peekNode(file.child);
  }
  return undefined;
}

const storedAt = (tx: Tx, identity: string): readonly StoredBitmap[] => tx.g.storedBitmaps?.[identity] ?? [];

/**
 * qcow2_store_persistent_dirty_bitmaps(): each persistent bitmap that is not read-only goes into
 * the image's directory (a new name at its end), recording (BME_FLAG_AUTO) if enabled. A node that
 * cannot write stores nothing ("No write access", reported and dropped by its callers).
 */
function storeBitmaps(tx: Tx, name: NodeName, writable: boolean): void {
  const node = tx.mustPeekNode(name);
  const identity = imageIdentity(tx, name);
  const writing = bitmapsOf(node).filter((b) => b.persistent && !b.readonly);
  if (identity === undefined || writing.length === 0 || !writable) return;
  const list = [...storedAt(tx, identity)];
  for (const bitmap of writing) {
    const at = list.findIndex((s) => s.name === bitmap.name);
    const entry: StoredBitmap = { ...list[at], name: bitmap.name, granularity: bitmap.granularity, auto: !bitmap.disabled };
    if (at >= 0) list[at] = entry;
    else list.push(entry);
  }
  writeDirectory(tx, name, identity, list, new Set(writing.map((b) => b.name)));
}

/** The image's bitmap directory becomes `list`, the bitmaps named in `storing` written anew (src/drivers/qcow2-bitmaps.ts). */
function writeDirectory(tx: Tx, name: NodeName, identity: string, list: readonly StoredBitmap[], storing: ReadonlySet<string>): void {
  let written = list;
  writeImage(tx, name, (facts) => {
    const writes = writeBitmapDirectory(facts, list, storing, tx.mustPeekNode(name).size);
    written = writes.list;
    return writes;
  });
  tx.g.storedBitmaps = { ...tx.g.storedBitmaps, [identity]: castDraft(written) };
}

/** qcow2_co_remove_persistent_dirty_bitmap(): the image forgets the bitmap (absent: nothing to do). */
export function unstoreBitmap(tx: Tx, name: NodeName, bitmap: string): void {
  const identity = imageIdentity(tx, name);
  if (identity === undefined || !storedAt(tx, identity).some((s) => s.name === bitmap)) return;
  writeDirectory(tx, name, identity, storedAt(tx, identity).filter((s) => s.name !== bitmap), new Set());
}

/**
 * The in-use flags of the directory set in place (update_ext_header_and_dir_in_place()), as a
 * read-write node loads its bitmaps or a reopen makes them writable again.
 */
function markInUse(tx: Tx, name: NodeName): void {
  const identity = imageIdentity(tx, name);
  const facts = tx.mustPeekNode(name).header?.qcow2;
  const file = fileChildOf(tx.g as Graph, tx.mustPeekNode(name));
  const end = identity !== undefined && facts ? directoryEnd(facts, storedAt(tx, identity)) : 0;
  if (file && end > 0) recordWrite(tx, file.child, end);
}

/** qcow2_do_close() of an active node: qcow2_inactivate() stores its bitmaps. */
export function storeBitmapsOnClose(tx: Tx, name: NodeName): void {
  const node = tx.mustPeekNode(name);
  if (storesPersistentBitmaps(node.driver) && !node.inactive) storeBitmaps(tx, name, !node.readOnly);
}

/**
 * qcow2_load_dirty_bitmaps() of an active node: the image's bitmaps, each made in turn (so the
 * last one stored comes first), persistent, disabled unless BME_FLAG_AUTO, read-only on a
 * read-only node.
 */
export function loadBitmapsOnOpen(tx: Tx, name: NodeName): void {
  const node = tx.mustPeekNode(name);
  if (!storesPersistentBitmaps(node.driver) || node.inactive) return;
  const identity = imageIdentity(tx, name);
  if (identity === undefined) return;
  const loaded = storedAt(tx, identity).filter((s) => !bitmapsOf(node).some((b) => b.name === s.name)).map(
    (s): DirtyBitmap => ({ name: s.name, size: nodeLength(node), granularity: s.granularity, persistent: true, disabled: !s.auto, readonly: node.readOnly }),
  );
  if (loaded.length === 0) return;
  setBitmaps(tx, name, [...loaded.reverse(), ...bitmapsOf(node)]);
  if (!node.readOnly) markInUse(tx, name);
}

/**
 * qcow2_inactivate() fails (-EINVAL): a read-only node holds persistent bitmaps not stored yet
 * (added while it was read-only), which qcow2_store_persistent_dirty_bitmaps() cannot write.
 */
export const bitmapsBlockInactivation = (node: BlockNode): boolean =>
  storesPersistentBitmaps(node.driver) && !node.inactive && node.readOnly && bitmapsOf(node).some((b) => b.persistent && !b.readonly);

/**
 * qcow2_inactivate(): the bitmaps stored, then the persistent ones the image now holds released
 * (qcow2_store_persistent_dirty_bitmaps() with release_stored). Activation loads them again
 * (qcow2_co_invalidate_cache()). A node bitmapsBlockInactivation() refuses never gets here.
 */
export function inactivateBitmaps(tx: Tx, name: NodeName): void {
  const node = tx.mustPeekNode(name);
  if (!storesPersistentBitmaps(node.driver) || node.inactive) return;
  storeBitmaps(tx, name, !node.readOnly);
  setBitmaps(tx, name, bitmapsOf(node).filter((b) => !b.persistent));
}

/**
 * qcow2_reopen_prepare(), in the driver's turn of a reopen (before the generic option checks):
 * qcow2_reopen_bitmaps_ro() runs for every reopen to read-only, and bitmaps not yet stored (added
 * while the node was read-only) cannot be written by a node that stays read-only.
 */
export function refuseUnstoredBitmaps(tx: Tx, name: NodeName, readOnly: boolean): void {
  const node = tx.mustPeekNode(name);
  if (!storesPersistentBitmaps(node.driver) || !node.readOnly || !readOnly) return;
  if (bitmapsOf(node).some((b) => b.persistent && !b.readonly)) fail(msg.bitmapsNoWriteAccess());
}

/**
 * A reopen that changed a qcow2 node's read-only flag: qcow2_reopen_bitmaps_ro() stores its
 * bitmaps and makes the persistent ones read-only; qcow2_reopen_bitmaps_rw() lets them be written
 * again.
 */
export function reopenBitmaps(tx: Tx, names: Iterable<NodeName>): void {
  for (const name of names) {
    const node = tx.peekNode(name);
    const before = getNode(tx.base, name);
    if (!node || !before || !storesPersistentBitmaps(node.driver)) continue;
    if (before.readOnly === node.readOnly) continue;
    if (node.readOnly) {
      // in the reopen's prepare, while the node can still write
      storeBitmaps(tx, name, true);
      setBitmaps(tx, name, bitmapsOf(node).map((b) => (b.persistent ? { ...b, readonly: true } : b)));
    } else {
      setBitmaps(tx, name, bitmapsOf(node).map((b) => (b.readonly ? { ...b, readonly: false } : b)));
      if (bitmapsOf(node).some((b) => b.readonly)) markInUse(tx, name);
    }
  }
}

/** bdrv_dirty_bitmap_truncate(): the node's bitmaps take its new length. */
export function truncateBitmaps(tx: Tx, name: NodeName): void {
  const node = tx.mustPeekNode(name);
  if (bitmapsOf(node).length === 0) return;
  setBitmaps(tx, name, bitmapsOf(node).map((b) => withBitsSet({ ...cleared(b), size: nodeLength(node) }, b.dirty ?? [])));
}

