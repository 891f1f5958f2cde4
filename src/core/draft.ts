/**
 * Copy-on-write, in one place: the draft a transaction works on. The snapshot's sharded records
 * become edits (src/graph/shard-edit.ts) and its small records (jobs, objects, counters) copies
 * the first time the transaction reads them; a node, edge or backend is copied the first time the
 * transaction asks to change one (ownNode(), ownEdge(), ownBackend()). The base is never written,
 * so dropping the draft is the rollback. Finishing it gives the new snapshot, in which every
 * entry that ended up as it was is the base's own object again, and the base itself when nothing
 * changed.
 */
import type { Draft } from 'immer';
import { editShards, finishShards, touchedKeys } from '../graph/shard-edit.js';
import { getShard, setShard, type Shards } from '../graph/shards.js';
import { nameRecord } from '../util/records.js';
import type { Backend, BlockExport, BlockNode, Edge, EdgeId, Graph, Job, NodeName, UserObject } from '../graph/types.js';

/**
 * Snapshots are immutable by contract (their types are readonly). Freezing them as well costs
 * time on every command, so it is done only when PERMGRAPH_FREEZE_SNAPSHOTS=1 (the tests set it,
 * so that any write to a snapshot fails loudly).
 */
const FREEZE = globalThis.process?.env?.['PERMGRAPH_FREEZE_SNAPSHOTS'] === '1';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A job the transaction may change in place: its own copy, lists included. */
const copyJob = (job: Job): Job => ({ ...job, edges: [...job.edges], backends: [...job.backends] });

/**
 * The draft itself: each sharded or small record is made the transaction's own (an edit, or a
 * copy) the first time the transaction reads it through the draft, so a command pays only for
 * the records it looks at.
 */
class GraphDraft {
  model: Graph['model'];
  nbdServer: Graph['nbdServer'];
  clock: number;
  storedBitmaps: Graph['storedBitmaps'];
  writtenImages: Graph['writtenImages'];
  private ownNodes: Shards<BlockNode> | undefined;
  private ownEdges: Shards<Edge> | undefined;
  private ownBackends: Shards<Backend> | undefined;
  private ownExports: Shards<BlockExport> | undefined;
  private ownExportNames: Shards<string> | undefined;
  private ownFileUsers: Shards<readonly NodeName[]> | undefined;
  private ownJobs: Record<string, Job> | undefined;
  private ownObjects: Record<string, UserObject> | undefined;
  private ownCounters: Mutable<Graph['counters']> | undefined;

  /** The nodes, edges and backends this draft copied or created: everything else is the base's. */
  readonly own = new Set<object>();

  constructor(readonly base: Graph) {
    this.model = base.model;
    this.nbdServer = base.nbdServer;
    this.clock = base.clock;
    this.storedBitmaps = base.storedBitmaps;
    this.writtenImages = base.writtenImages;
  }

  get nodes(): Shards<BlockNode> {
    return (this.ownNodes ??= editShards(this.base.nodes));
  }
  get edges(): Shards<Edge> {
    return (this.ownEdges ??= editShards(this.base.edges));
  }
  get backends(): Shards<Backend> {
    return (this.ownBackends ??= editShards(this.base.backends));
  }
  get exports(): Shards<BlockExport> {
    return (this.ownExports ??= editShards(this.base.exports));
  }
  get exportNames(): Shards<string> {
    return (this.ownExportNames ??= editShards(this.base.exportNames));
  }
  get fileUsers(): Shards<readonly NodeName[]> {
    return (this.ownFileUsers ??= editShards(this.base.fileUsers));
  }
  get jobs(): Record<string, Job> {
    if (this.ownJobs) return this.ownJobs;
    // no prototype: a job id is any name (src/util/records.ts)
    const jobs = nameRecord<Job>();
    for (const id of Object.keys(this.base.jobs)) jobs[id] = copyJob(this.base.jobs[id]!);
    return (this.ownJobs = jobs);
  }
  get objects(): Record<string, UserObject> {
    return (this.ownObjects ??= nameRecord(this.base.objects));
  }
  get counters(): Mutable<Graph['counters']> {
    return (this.ownCounters ??= { ...this.base.counters });
  }

  /** The new snapshot (see the module comment). */
  finish(): Graph {
    const base = this.base;
    if (this.ownNodes) settleCopies(this.ownNodes, base.nodes, this.own);
    if (this.ownEdges) settleCopies(this.ownEdges, base.edges, this.own);
    if (this.ownBackends) settleCopies(this.ownBackends, base.backends, this.own);
    const nodes = this.ownNodes ? finishShards(this.ownNodes) : base.nodes;
    const edges = this.ownEdges ? finishShards(this.ownEdges) : base.edges;
    const backends = this.ownBackends ? finishShards(this.ownBackends) : base.backends;
    const exports = this.ownExports ? finishShards(this.ownExports) : base.exports;
    const exportNames = this.ownExportNames ? finishShards(this.ownExportNames) : base.exportNames;
    const objects = this.ownObjects ? settleRecord(this.ownObjects, base.objects) : base.objects;
    const fileUsers = this.ownFileUsers ? finishShards(this.ownFileUsers) : base.fileUsers;
    const jobs = this.ownJobs ? settleRecord(this.ownJobs, base.jobs) : base.jobs;
    const counters = this.ownCounters ? settle(this.ownCounters, base.counters) : base.counters;
    if (
      nodes === base.nodes &&
      edges === base.edges &&
      backends === base.backends &&
      exports === base.exports &&
      exportNames === base.exportNames &&
      objects === base.objects &&
      fileUsers === base.fileUsers &&
      jobs === base.jobs &&
      counters === base.counters &&
      this.model === base.model &&
      this.nbdServer === base.nbdServer &&
      this.clock === base.clock &&
      this.storedBitmaps === base.storedBitmaps &&
      this.writtenImages === base.writtenImages
    ) {
      return base;
    }
    // the keys in emptyGraph()'s order: every snapshot has one shape
    const g: Graph = {
      model: this.model,
      nodes,
      edges,
      backends,
      exports,
      exportNames,
      nbdServer: this.nbdServer,
      objects,
      fileUsers,
      jobs,
      clock: this.clock,
      counters,
      ...(this.storedBitmaps ? { storedBitmaps: this.storedBitmaps } : {}),
      ...(this.writtenImages ? { writtenImages: this.writtenImages } : {}),
      // chardevs are no transaction's business: carried over as they are
      ...(base.chardevs ? { chardevs: base.chardevs } : {}),
      ...(base.objectOrder ? { objectOrder: base.objectOrder } : {}),
    };
    if (FREEZE) deepFreeze(g);
    return g;
  }
}

export type DraftNode = Draft<BlockNode>;
export type DraftEdge = Draft<Edge>;

/** A node's own copy, lists and file record included: what a transaction may change in place. */
export const copyNode = (node: BlockNode): DraftNode =>
  ({ ...node, parents: [...node.parents], children: [...node.children], file: node.file ? { ...node.file } : null }) as DraftNode;

const ownSet = (g: Draft<Graph>): Set<object> => (g as unknown as GraphDraft).own;

/** An object the transaction made: it may change it in place. */
export function adopt<T extends object>(g: Draft<Graph>, value: T): T {
  ownSet(g).add(value);
  return value;
}

/** A node to change: the draft's own copy (made the first time). */
export function ownNode(g: Draft<Graph>, name: NodeName): DraftNode | undefined {
  const current = getShard(g.nodes, name);
  if (!current || ownSet(g).has(current)) return current;
  const node = copyNode(current);
  setShard(g.nodes, name, node);
  return adopt(g, node);
}

/** An edge to change: the draft's own copy (made the first time). */
export function ownEdge(g: Draft<Graph>, id: EdgeId): DraftEdge | undefined {
  const current = getShard(g.edges, String(id)) as DraftEdge | undefined;
  if (!current || ownSet(g).has(current)) return current;
  const edge = { ...current };
  setShard(g.edges, String(id), edge);
  return adopt(g, edge);
}

/** A backend to change: the draft's own copy (made the first time). */
export function ownBackend(g: Draft<Graph>, id: number): Draft<Backend> | undefined {
  const current = getShard(g.backends, String(id));
  if (!current || ownSet(g).has(current)) return current;
  const backend = { ...current };
  setShard(g.backends, String(id), backend);
  return adopt(g, backend);
}

export function beginDraft(base: Graph): Draft<Graph> {
  return new GraphDraft(base) as unknown as Draft<Graph>;
}

/** The new snapshot (see the module comment). */
export function finishDraft(draft: Draft<Graph>, base: Graph): Graph {
  const own = draft as unknown as GraphDraft;
  if (own.base !== base) throw new Error('internal: a draft finished against another base');
  return own.finish();
}

/**
 * The transaction's copies of nodes, edges or backends settled against the base's. Its own copies
 * (`own`: made by it, held by nothing else) take the base's lists in place.
 */
function settleCopies<T extends object>(shards: Shards<T>, before: Shards<T>, own: ReadonlySet<object>): void {
  for (const key of touchedKeys(shards)) {
    const now = getShard(shards, key);
    const old = getShard(before, key);
    if (now && old && now !== old) setShard(shards, key, settle(now, old, own.has(now)));
  }
}

/**
 * `value` made of the base's objects wherever it equals them: the base's own object when it is
 * the same in every field, else `value` (when `inPlace`: the transaction's own) or a copy, whose
 * unchanged lists and records are the base's.
 */
function settle<T extends object>(value: T, base: T, inPlace = false): T {
  // a transaction's copies have every key of what they copied; only new keys are extra
  let same = true;
  let out: T | undefined;
  for (const key in value) {
    const now = value[key];
    const old = base[key];
    if (now === old) continue;
    if (isShallowCopy(now, old)) {
      (out ??= inPlace ? value : { ...value })[key] = old;
      continue;
    }
    same = false;
  }
  if (same && sameKeyCount(value, base)) return base;
  return out ?? value;
}

function sameKeyCount(a: object, b: object): boolean {
  let n = 0;
  for (const _ in a) n++;
  for (const _ in b) n--;
  return n === 0;
}

function settleRecord<T extends object>(record: Record<string, T>, base: Readonly<Record<string, T>>): Record<string, T> {
  let same = sameKeyCount(record, base);
  for (const key in record) {
    const old = Object.hasOwn(base, key) ? base[key] : undefined;
    if (old === undefined) {
      same = false;
      continue;
    }
    const settled = settle(record[key]!, old);
    record[key] = settled;
    if (settled !== old) same = false;
  }
  return same ? (base as Record<string, T>) : record;
}

/** Two arrays, or two plain records, with the same entries (one level deep). */
export function isShallowCopy(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && sameItems(a, b);
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}
