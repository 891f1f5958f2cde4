/**
 * The snapshot invariants after one command, checked only where the command may have changed
 * their verdict. Snapshots share every entry a command left alone (the same object), so what
 * changed is found by walking the changed paths of the shards (diffShards()). The invariants
 * themselves are unchanged: each walks its entries in the same order as ever, only fewer of them
 * (a Scope), so it reports what the whole check reports, in the same order.
 */
import { getEdge, getNode } from '../graph/graph.js';
import { diffShards } from '../graph/shard-walk.js';
import type { Backend, BlockExport, BlockNode, Edge, EdgeId, Graph, Job, NodeName, ParentRef } from '../graph/types.js';
import { checkSnapshot, SNAPSHOT_INVARIANTS } from './index.js';
import { parentsShare, noWriteOnReadOnly } from './perms.js';
import { dynamicReadWriteIffWriter, fdFollowsWriters, machineAtRest, nbdWriteOnlyWhereLet } from './read-only.js';
import { acyclic, namesUnique } from './structure.js';
import type { InvariantContext, Scope, SnapshotInvariant, Violation } from './types.js';
import { remember, verdictsOf } from './verdicts.js';

/** The entries of `after` that differ from those of `before` (added, removed or changed), by key. */
interface Changed {
  readonly nodes: ReadonlySet<NodeName>;
  readonly edges: ReadonlySet<EdgeId>;
  readonly backends: ReadonlySet<number>;
  readonly exports: ReadonlySet<string>;
  readonly jobs: ReadonlySet<string>;
}

function changedKeys<T, K>(before: Graph[keyof Graph], after: Graph[keyof Graph], key: (value: T) => K): Set<K> {
  const out = new Set<K>();
  const add = (value: T): void => void out.add(key(value));
  diffShards(before as never, after as never, add, add);
  return out;
}

function changedJobs(before: Graph, after: Graph): Set<string> {
  const out = new Set<string>();
  if (before.jobs === after.jobs) return out;
  for (const id of Object.keys(before.jobs)) if (before.jobs[id] !== after.jobs[id]) out.add(id);
  for (const id of Object.keys(after.jobs)) if (before.jobs[id] !== after.jobs[id]) out.add(id);
  return out;
}

function changesBetween(before: Graph, after: Graph): Changed {
  return {
    nodes: changedKeys(before.nodes, after.nodes, (n: BlockNode) => n.name),
    edges: changedKeys(before.edges, after.edges, (e: Edge) => e.id),
    backends: changedKeys(before.backends, after.backends, (b: Backend) => b.id),
    exports: changedKeys(before.exports, after.exports, (x: BlockExport) => x.id),
    jobs: changedJobs(before, after),
  };
}

/**
 * Every entry of `after` that is changed itself or reads a changed entry in some local invariant:
 * the rest read exactly what they read in `before`, so each local invariant says of them what it
 * said there.
 */
function scopeOf(after: Graph, changed: Changed): Scope {
  const { nodes, edges, backends, jobs } = changed;
  const anyEdge = (ids: readonly EdgeId[]): boolean => ids.some((id) => edges.has(id));
  const parentChanged = (p: ParentRef): boolean =>
    p.kind === 'node' ? nodes.has(p.node) || anyEdge(getNode(after, p.node)?.parents ?? []) : p.kind === 'backend' ? backends.has(p.backend) : jobs.has(p.job);
  return {
    node: (n) => nodes.has(n.name) || anyEdge(n.parents) || n.children.some((id) => edges.has(id) || nodes.has(getEdge(after, id)?.child ?? '')),
    edge: (e) => edges.has(e.id) || nodes.has(e.child) || parentChanged(e.parent),
    backend: (b) => backends.has(b.id) || (b.edge !== null && edges.has(b.edge)) || (b.owner.kind === 'job' && jobs.has(b.owner.id)),
    export: (x) => changed.exports.has(x.id) || backends.has(x.backend),
    job: (j: Job) => jobs.has(j.id) || anyEdge(j.edges) || j.backends.some((id) => backends.has(id)) || (j.filter !== null && nodes.has(j.filter)),
  };
}

/**
 * The scope for one invariant: the nodes the node-local ones read are fewer (a node and its parent
 * edges, or the node alone), so they look at fewer nodes than scopeOf() gives.
 */
function scopeFor(invariant: SnapshotInvariant, scope: Scope, changed: Changed): Scope {
  const { nodes, edges } = changed;
  if (NODE_ALONE.has(invariant)) return { ...scope, node: (n) => nodes.has(n.name) };
  if (NODE_AND_PARENTS.has(invariant)) return { ...scope, node: (n) => nodes.has(n.name) || n.parents.some((id) => edges.has(id)) };
  return scope;
}

const NODE_ALONE: ReadonlySet<SnapshotInvariant> = new Set([nbdWriteOnlyWhereLet, machineAtRest]);
const NODE_AND_PARENTS: ReadonlySet<SnapshotInvariant> = new Set([parentsShare, noWriteOnReadOnly, fdFollowsWriters, dynamicReadWriteIffWriter]);

/** The invariants that also read the storage (a descriptor left O_RDWR because O_RDONLY was refused). */
const READS_STORAGE: ReadonlySet<SnapshotInvariant> = new Set([fdFollowsWriters, dynamicReadWriteIffWriter]);

/** names-unique compares entries with each other: checked again whole, unless none of what it reads changed. */
const namesUnchanged = (before: Graph, after: Graph): boolean =>
  before.nodes === after.nodes && before.backends === after.backends && before.exports === after.exports && before.exportNames === after.exportNames;

/**
 * checkSnapshot(after, context), exactly (the same violations in the same order), checking only
 * what the step from `before` to `after` may have changed. It starts from what the invariants
 * found on `before` (kept by checkSnapshot() and checkChanged()); without that it is
 * checkSnapshot(after). An invariant that found something on `before` is checked whole again, and
 * so is one that reads the storage when the storage is another one; each other invariant is
 * checked on the changed entries and those that read them (scopeOf(), narrowed for the node-local
 * ones by scopeFor()), which is enough because of
 * what each reads:
 * - names-unique compares all names with each other: not local, checked whole unless the nodes,
 *   backends, exports and export names are all the same objects (then it finds what it found).
 * - edges-point-at-live-nodes: an edge reads its child node and its parent (node, backend or
 *   job); a node its parent and child edges; a backend its edge; an export its backend.
 * - acyclic: a node reads its child edges and their child nodes' heights. A height out of order
 *   makes it search the whole graph for the cycle, so then it is checked whole.
 * - parents-share, no-write-on-read-only: a node reads itself and its parent edges.
 * - child-perms-follow-driver: an edge reads itself, its child node (force-share), and its
 *   parent: a backend, or a node with that node's parent edges (its cumulative perm).
 * - fd-follows-writers, dynamic-read-write-iff-writer: a node reads itself, its parent edges and
 *   the storage (same storage object, same answers: storages do not change once handed over).
 * - nbd-write-only-where-let, machine-at-rest: a node reads itself.
 * - jobs-consistent: a job reads its edges, backends and filter node; an edge with a job parent
 *   and a backend a job owns read that job.
 */
export function checkChanged(before: Graph, after: Graph, context: InvariantContext): Violation[] {
  const known = verdictsOf(before);
  if (!known) return checkSnapshot(after, context);
  const sameStorage = known.storage === context.storage;
  const changed = before === after ? undefined : changesBetween(before, after);
  const scope = changed && scopeOf(after, changed);
  const out: Violation[] = [];
  const found: (readonly Violation[])[] = [];
  SNAPSHOT_INVARIANTS.every((invariant, i) => {
    const was = known.found[i];
    let broken: readonly Violation[];
    if (was === undefined || was.length > 0 || (READS_STORAGE.has(invariant) && !sameStorage)) broken = invariant.check(after, context);
    else if (!scope) broken = was;
    else if (invariant === namesUnique) broken = namesUnchanged(before, after) ? was : invariant.check(after, context);
    else {
      broken = invariant.check(after, context, scopeFor(invariant, scope, changed!));
      if (invariant === acyclic && broken.length > 0) broken = invariant.check(after, context);
    }
    found.push(broken);
    out.push(...broken);
    return !(out.length && invariant === acyclic); // the rest would walk broken links
  });
  remember(after, context.storage, found);
  return out;
}
