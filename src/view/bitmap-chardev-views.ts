/**
 * The dirty bitmaps and character devices of a graph as the viewer draws them: each node's
 * bitmaps (enabled, persistent, read-only, busy), the persistent bitmaps the image under a file
 * node stores, and the chardevs with their backend and whether a QMP monitor uses them.
 */
import { bitmapBusy, bitmapRecording, bitmapsOf } from '../graph/bitmaps.js';
import { chardevsInOrder } from '../graph/chardevs.js';
import type { BlockNode, Graph } from '../graph/types.js';
import type { BitmapView, ChardevView, StoredBitmapView } from './view-types.js';

/** The node's bitmaps, newest first (absent when it has none). */
export function bitmapViews(graph: Graph, node: BlockNode): { bitmaps?: BitmapView[]; storedBitmaps?: StoredBitmapView[] } {
  const bitmaps = bitmapsOf(node).map((b) => ({
    name: b.name,
    enabled: bitmapRecording(b),
    persistent: b.persistent,
    readonly: b.readonly,
    busy: bitmapBusy(graph, node.name, b.name),
    granularity: b.granularity,
  }));
  const stored = node.file ? (graph.storedBitmaps?.[node.file.identity] ?? []).map((s) => ({ name: s.name, auto: s.auto })) : [];
  return { ...(bitmaps.length > 0 ? { bitmaps } : {}), ...(stored.length > 0 ? { storedBitmaps: stored } : {}) };
}

/** The chardevs in the order query-chardev's container keeps them (absent when there are none). */
export function chardevViews(graph: Graph): { chardevs?: ChardevView[] } {
  const chardevs = chardevsInOrder(graph).map((c) => ({ id: c.id, backend: c.kind, filename: c.filename, monitor: c.monitor }));
  return chardevs.length > 0 ? { chardevs } : {};
}
