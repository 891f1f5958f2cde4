/**
 * What finishing jobs do to the graph, shared by the job kinds (src/jobs/lifecycle.ts): a node back
 * to read-only, a node replaced by another, a new backing and the name a header keeps of it.
 */
import { castDraft } from 'immer';
import { attachChild, detachNoperm, replaceNodeNoperm } from '../core/links.js';
import { refresh } from '../core/refresh.js';
import { refreshFilename } from '../core/open.js';
import type { Tx } from '../core/tx-state.js';
import type { NodeName } from '../graph/types.js';
import { closeNode } from '../core/close.js';
import { readOnlyReopenRefused, reopenSetReadOnly } from '../core/reopen.js';
import { Role } from '../drivers/roles.js';

/** Back to read-only after a job, unless a writer is still there (QEMU ignores that failure). */
export function restoreReadOnly(tx: Tx, name: NodeName): void {
  const node = tx.peekNode(name);
  if (!node || node.machine.context.readOnly) return;
  // the failure of this reopen is ignored (stream_clean() passes no errp): a refused one is skipped
  if (readOnlyReopenRefused(tx, name)) return;
  reopenSetReadOnly(tx, name, true);
}

/** A mirror's pivot: the target, read-only as `replaced` is, takes the place of `replaced`. */
export function switchOver(tx: Tx, replaced: NodeName, target: NodeName): void {
  const readOnly = tx.mustNode(replaced).readOnly;
  if (tx.mustNode(target).readOnly !== readOnly) reopenSetReadOnly(tx, target, readOnly);
  replaceNodeNoperm(tx, replaced, target);
  refresh(tx);
}

/**
 * stream_prepare()'s bdrv_change_backing_file(): a qcow2 device's header names the new base by its
 * filename (block-stream's `backing-file` is not kept: not simulated), with the base's format, or
 * nothing; the storage keeps it, and the device's filename follows.
 */
export function writeBackingName(tx: Tx, device: NodeName, base: NodeName | null | undefined): void {
  const node = tx.mustPeekNode(device);
  if (node.driver !== 'qcow2') return;
  let unfiltered = base ? tx.peekNode(base) : undefined;
  while (unfiltered && tx.policy(unfiltered.driver).isFilter) {
    const edge = unfiltered.children.map((id) => tx.peekEdge(id)).find((e) => e.role & Role.FILTERED);
    unfiltered = edge && tx.peekNode(edge.child);
  }
  const backingFile = unfiltered?.filename ?? '';
  const backingFormat = unfiltered?.driver ?? '';
  const draft = tx.mustNode(device);
  draft.header = castDraft({ ...(node.header ?? { backingFile: '', backingFormat: '' }), backingFile, backingFormat });
  draft.autoBackingFile = backingFile;
  const file = node.children.map((id) => tx.peekEdge(id)).find((e) => e.name === 'file');
  const path = file && tx.peekNode(file.child)?.file?.path;
  if (path) tx.env.storage.changeBackingFile?.(path, backingFile, backingFormat);
  refreshFilename(tx, device);
}

/**
 * bdrv_set_backing_hd(): stream's end, `device` now backed by `base` directly. The old backing
 * is let go of when the change commits (bdrv_replace_child_commit()): after `base`, which it may
 * hold, has its new parent.
 */
export function setBacking(tx: Tx, device: NodeName, base: NodeName | null): void {
  const node = tx.mustPeekNode(device);
  const old = node.children.map((e) => tx.peekEdge(e)).find((e) => e.name === 'backing');
  if (old) detachNoperm(tx, old.id);
  if (base) attachChild(tx, device, base, 'backing', Role.COW);
  refresh(tx);
  const orphan = old && tx.peekNode(old.child);
  if (orphan && !orphan.monitorOwned && orphan.parents.length === 0) {
    closeNode(tx, orphan.name);
    refresh(tx);
  }
}
