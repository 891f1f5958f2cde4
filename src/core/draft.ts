/**
 * The copy-on-write draft a transaction works on: a shallow copy of the snapshot whose sharded
 * records are edits (src/graph/shards.ts), whose small records (jobs, objects, counters) are
 * copies, and whose nodes, edges and backends are copied the first time the transaction asks to
 * change one (Tx.node(), Tx.edge(), Tx.backend()). The base is never written, so dropping the
 * draft is the rollback. Finishing it gives the new snapshot, in which every entry that ended up
 * as it was is the base's own object again, and the base itself when nothing changed.
 */
import type { Draft } from 'immer';
import { editShards, finishShards, getShard, setShard, touchedKeys, type Shards } from '../graph/shards.js';
import type { Graph, Job } from '../graph/types.js';

/**
 * Snapshots are immutable by contract (their types are readonly). Freezing them as well costs
 * time on every command, so it is done only when PERMGRAPH_FREEZE_SNAPSHOTS=1 (the tests set it,
 * so that any write to a snapshot fails loudly).
 */
const FREEZE = globalThis.process?.env?.['PERMGRAPH_FREEZE_SNAPSHOTS'] === '1';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A job the transaction may change in place: its own copy, lists included. */
const copyJob = (job: Job): Job => ({ ...job, edges: [...job.edges], backends: [...job.backends] });

export function beginDraft(base: Graph): Draft<Graph> {
  const jobs: Record<string, Job> = {};
  for (const id in base.jobs) jobs[id] = copyJob(base.jobs[id]!);
  const draft: Mutable<Graph> = {
    ...base,
    nodes: editShards(base.nodes),
    edges: editShards(base.edges),
    backends: editShards(base.backends),
    exports: editShards(base.exports),
    exportNames: editShards(base.exportNames),
    fileUsers: editShards(base.fileUsers),
    jobs,
    objects: { ...base.objects },
    counters: { ...base.counters },
  };
  return draft as Draft<Graph>;
}

/** The new snapshot (see the module comment). */
export function finishDraft(draft: Draft<Graph>, base: Graph): Graph {
  const g = draft as unknown as Mutable<Graph>;
  settleCopies(g.nodes, base.nodes);
  settleCopies(g.edges, base.edges);
  settleCopies(g.backends, base.backends);
  g.nodes = finishShards(g.nodes);
  g.edges = finishShards(g.edges);
  g.backends = finishShards(g.backends);
  g.exports = finishShards(g.exports);
  g.exportNames = finishShards(g.exportNames);
  g.fileUsers = finishShards(g.fileUsers);
  g.jobs = settleRecord(g.jobs, base.jobs);
  g.objects = settleRecord(g.objects, base.objects);
  g.counters = settle(g.counters, base.counters);
  // the draft has every key the base has (it began as a copy of it)
  let same = true;
  for (const key in g) if (g[key as keyof Graph] !== base[key as keyof Graph]) same = false;
  if (same) return base;
  if (FREEZE) deepFreeze(g);
  return g;
}

/** The transaction's copies of nodes, edges or backends settled against the base's. */
function settleCopies<T extends object>(shards: Shards<T>, before: Shards<T>): void {
  for (const key of touchedKeys(shards)) {
    const now = getShard(shards, key);
    const old = getShard(before, key);
    if (now && old && now !== old) setShard(shards, key, settle(now, old));
  }
}

/**
 * `value` made of the base's objects wherever it equals them: the base's own object when it is
 * the same in every field, else a copy whose unchanged lists and records are the base's.
 */
function settle<T extends object>(value: T, base: T): T {
  // a transaction's copies have every key of what they copied; only new keys are extra
  let same = true;
  let out: T | undefined;
  for (const key in value) {
    const now = value[key];
    const old = base[key];
    if (now === old) continue;
    if (isShallowCopy(now, old)) {
      (out ??= { ...value })[key] = old;
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
    const old = base[key];
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
function isShallowCopy(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
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
