/**
 * Internal snapshots in a qcow2 image's clusters (block/qcow2-snapshot.c, qcow2-refcount.c).
 * qcow2_snapshot_create() copies the active L1 table into new clusters, takes a reference on every
 * L2 table and data cluster (qcow2_update_snapshot_refcount(), which clears their COPIED flags and
 * so rewrites the L2 tables) and writes the snapshot table anew (qcow2_write_snapshots(): new
 * clusters first, then the old table freed). qcow2_snapshot_delete() writes the table anew, drops
 * the snapshot's references, frees its L1 copy and sets the COPIED flags again. A cluster whose
 * last reference goes is freed, and discarded in the file unless `pass-discard-snapshot` is off.
 * Where the image's clusters are not known (an image on the host), only the table's list changes.
 */
import type { HostCluster, Qcow2Facts, Qcow2Snapshot } from '../graph/node-header.js';
import type { InternalSnapshot } from '../graph/state-types.js';
import type { Discards } from './driver.js';
import { allocateRun, clustersPerL2, METADATA_CLUSTERS, referenced, release } from './qcow2-layout.js';

/** sizeof(QCowSnapshotHeader), sizeof(QCowSnapshotExtraData) */
const SNAPSHOT_HEADER = 40;
const EXTRA_DATA = 24;
/** L1E_SIZE */
const L1_ENTRY = 8;

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** qcow2_write_snapshots(): the table's bytes, each entry from an 8-byte boundary, the last one unpadded. */
export function snapshotTableBytes(snapshots: readonly InternalSnapshot[]): number {
  let offset = 0;
  for (const sn of snapshots) offset = Math.ceil(offset / 8) * 8 + SNAPSHOT_HEADER + EXTRA_DATA + utf8Length(sn.id) + utf8Length(sn.name);
  return offset;
}

/** What taking or deleting a snapshot did to the image. */
export interface SnapshotWrites {
  readonly facts: Qcow2Facts;
  /** The end of the furthest write to the file. */
  readonly wroteFile: number;
  /** The discard requests, each free's runs of neighbouring clusters one request. */
  readonly discards: Discards;
}

/** The active L2 tables and data clusters, by layout index. */
const activeClusters = (layout: readonly HostCluster[]): number[] =>
  layout.flatMap((c, at) => (c !== null && ('l2' in c || 'data' in c) ? [at] : []));

/** The active data clusters a snapshot shares (their L2 entries without QCOW_OFLAG_COPIED), by layout index. */
const sharedData = (layout: readonly HostCluster[], snapshots: readonly Qcow2Snapshot[]): Set<number> => {
  const held = referenced(snapshots);
  return new Set(layout.flatMap((c, at) => (c !== null && 'data' in c && held.has(at) ? [at] : [])));
};

/** Where a write ends in the file: `bytes` into the cluster at layout index `at`. */
const endOf = (at: number, bytes: number, cluster: number): number => (METADATA_CLUSTERS + at) * cluster + bytes;

class ImageEdit {
  layout: HostCluster[];
  snapshots: readonly Qcow2Snapshot[];
  wroteFile = 0;
  requests = 0;
  clusters = 0;

  private readonly known: boolean;

  constructor(readonly facts: Qcow2Facts, private readonly passDiscard: boolean) {
    this.known = facts.layout !== undefined;
    this.layout = [...(facts.layout ?? [])];
    this.snapshots = facts.snapshots ?? [];
  }

  /** qcow2_alloc_clusters() of `bytes` (none for 0), written at once: the clusters' indexes. */
  allocate(bytes: number, kind: 'l1' | 'table'): number[] {
    const n = Math.ceil(bytes / this.facts.clusterSize);
    if (n === 0 || !this.known) return [];
    const { layout, at } = allocateRun(this.layout, n, { snapshot: kind });
    this.layout = layout;
    this.wroteFile = Math.max(this.wroteFile, endOf(at, bytes, this.facts.clusterSize));
    return Array.from({ length: n }, (_, i) => at + i);
  }

  /** One free call: those of `candidates` that nothing uses any more freed, as one batch of discards. */
  releaseUnused(candidates: readonly number[]): void {
    const { layout, freed } = release(this.layout, candidates, referenced(this.snapshots));
    this.layout = layout;
    if (!this.passDiscard) return;
    freed.forEach((at, i) => {
      this.clusters++;
      if (i === 0 || freed[i - 1] !== at - 1) this.requests++;
    });
  }

  /** qcow2_write_snapshots() with `snapshots`: the new table written, then the old one's clusters freed. */
  writeTable(snapshots: readonly Qcow2Snapshot[]): void {
    const old = this.layout.flatMap((c, at) => (c !== null && 'snapshot' in c && c.snapshot === 'table' ? [at] : []));
    this.allocate(snapshotTableBytes(snapshots), 'table');
    this.snapshots = snapshots;
    this.releaseUnused(old);
  }

  /**
   * The active L2 tables with an entry whose COPIED flag flipped since `before` (shared data then
   * or now, not both): each is written back whole (an L2 table's own flag is in the L1 table).
   */
  rewriteFlippedTables(before: ReadonlySet<number>): void {
    const after = sharedData(this.layout, this.snapshots);
    const perL2 = clustersPerL2(this.facts);
    const tables = new Set<number>();
    this.layout.forEach((c, at) => {
      if (c !== null && 'data' in c && before.has(at) !== after.has(at)) tables.add(Math.floor(c.data / perL2));
    });
    this.layout.forEach((c, at) => {
      if (c !== null && 'l2' in c && tables.has(c.l2)) this.wroteFile = Math.max(this.wroteFile, endOf(at + 1, 0, this.facts.clusterSize));
    });
  }

  done(): SnapshotWrites {
    const { snapshots: _old, layout: _layout, ...rest } = this.facts;
    const facts: Qcow2Facts = { ...rest, ...(this.known ? { layout: this.layout } : {}), ...(this.snapshots.length > 0 ? { snapshots: this.snapshots } : {}) };
    return { facts, wroteFile: this.wroteFile, discards: { requests: this.requests, bytes: this.clusters * this.facts.clusterSize } };
  }
}

/** qcow2_snapshot_create() of `snapshot` in an image of `size` bytes. */
export function takeSnapshot(facts: Qcow2Facts, snapshot: InternalSnapshot, size: number, passDiscard: boolean): SnapshotWrites {
  const edit = new ImageEdit(facts, passDiscard);
  const before = sharedData(edit.layout, edit.snapshots);
  // size_to_l1()
  const l1Entries = Math.ceil(Math.ceil(size / facts.clusterSize) / clustersPerL2(facts));
  const l1 = edit.allocate(l1Entries * L1_ENTRY, 'l1');
  const taken: Qcow2Snapshot = { ...snapshot, l1, refs: activeClusters(edit.layout) };
  edit.snapshots = [...edit.snapshots, taken];
  edit.rewriteFlippedTables(before);
  edit.writeTable(edit.snapshots);
  return edit.done();
}

/** qcow2_snapshot_delete() of the snapshot with that id. */
export function deleteSnapshot(facts: Qcow2Facts, id: string, passDiscard: boolean): SnapshotWrites {
  const edit = new ImageEdit(facts, passDiscard);
  const gone = edit.snapshots.find((s) => s.id === id);
  if (!gone) return edit.done();
  const before = sharedData(edit.layout, edit.snapshots);
  edit.writeTable(edit.snapshots.filter((s) => s !== gone));
  // its references dropped, then its L1 copy freed: two frees
  edit.releaseUnused(gone.refs);
  edit.releaseUnused(gone.l1);
  edit.rewriteFlippedTables(before);
  return edit.done();
}
