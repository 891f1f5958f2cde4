/**
 * A scenario run as the viewer's data: per step, the graph after it (nodes with driver, ro,
 * machine state and open mode; edges with child name, perm and shared; users; jobs with their
 * machine state), the step's command, reply and events, what changed since the step before, and
 * what a refusal blames. Pure over the run's snapshots.
 */
import { allEdges, backendsInOrder, getExport, jobsInOrder, nodesInOrder, parentEdges } from '../graph/graph.js';
import type { Backend, Graph, ParentRef } from '../graph/types.js';
import { cumulativePerm } from '../perms/cumulative.js';
import { changeLine, stepTitle } from '../scenario/format.js';
import type { RunResult, StepRecord } from '../scenario/run.js';
import { blameFor } from './blame.js';
import { bitmapViews, chardevViews } from './bitmap-chardev-views.js';
import { permMask } from './perm-mask.js';
import type { Changed, EdgeView, JobView, ModelRun, NodeView, StepView, UserView, VertexId } from './view-types.js';

export function vertexOf(parent: ParentRef): VertexId {
  switch (parent.kind) {
    case 'node':
      return `node:${parent.node}`;
    case 'backend':
      return `user:${parent.backend}`;
    case 'job':
      return `job:${parent.job}`;
  }
}

function userLabel(graph: Graph, backend: Backend): string {
  const owner = backend.owner;
  switch (owner.kind) {
    case 'export': {
      const exp = getExport(graph, owner.id);
      const named = exp?.type === 'nbd' && exp.name !== owner.id ? ` (${exp.name})` : '';
      return `${exp?.type ?? 'nbd'} export ${owner.id}${named}`;
    }
    case 'device':
      return `device ${owner.id}`;
    case 'job':
      return `job ${owner.id} backend`;
    case 'internal':
      return backend.name || `unnamed blk (${owner.purpose})`;
  }
}

function nodesOf(graph: Graph): NodeView[] {
  return nodesInOrder(graph).map((node) => {
    const cumulative = cumulativePerm(parentEdges(graph, node));
    return {
      name: node.name,
      driver: node.driver,
      generated: node.generated || node.implicit,
      ro: node.readOnly,
      state: node.machine.value,
      openMode: node.file?.mode ?? null,
      filename: node.filename,
      ...(node.remote ? { remote: { server: node.remote.server, exportName: node.remote.exportName, readOnly: node.remote.serverReadOnly } } : {}),
      perm: permMask(cumulative.perm),
      shared: permMask(cumulative.shared),
      ...bitmapViews(graph, node),
    };
  });
}

function edgesOf(graph: Graph): EdgeView[] {
  return allEdges(graph).map((e) => ({
    id: e.id,
    parent: vertexOf(e.parent),
    child: e.child,
    name: e.name,
    perm: permMask(e.perm),
    shared: permMask(e.shared),
  }));
}

function usersOf(graph: Graph): UserView[] {
  return backendsInOrder(graph).map((b) => ({ id: `user:${b.id}`, kind: b.owner.kind, label: userLabel(graph, b) }));
}

function jobsOf(graph: Graph, seen: Map<string, JobView>): JobView[] {
  const present = new Set<string>();
  for (const job of jobsInOrder(graph)) {
    present.add(job.id);
    seen.set(job.id, { id: job.id, type: job.type, state: job.status, gone: false });
  }
  for (const [id, job] of seen) if (!present.has(id) && !job.gone) seen.set(id, { ...job, state: 'null', gone: true });
  return [...seen.values()];
}

const sameNode = (a: NodeView, b: NodeView): boolean =>
  a.ro === b.ro && a.state === b.state && a.openMode === b.openMode && a.driver === b.driver &&
  JSON.stringify([a.bitmaps, a.storedBitmaps]) === JSON.stringify([b.bitmaps, b.storedBitmaps]);
const sameEdge = (a: EdgeView, b: EdgeView): boolean =>
  a.parent === b.parent && a.child === b.child && a.perm === b.perm && a.shared === b.shared;

export function changedBetween(before: StepView | null, nodes: readonly NodeView[], edges: readonly EdgeView[], jobs: readonly JobView[]): Changed {
  const oldNodes = new Map((before?.nodes ?? []).map((n) => [n.name, n]));
  const oldEdges = new Map((before?.edges ?? []).map((e) => [e.id, e]));
  const oldJobs = new Map((before?.jobs ?? []).map((j) => [j.id, j]));
  const nodeNames = new Set(nodes.map((n) => n.name));
  const edgeIds = new Set(edges.map((e) => e.id));
  return {
    nodes: nodes.filter((n) => !oldNodes.has(n.name) || !sameNode(oldNodes.get(n.name)!, n)).map((n) => n.name),
    edges: edges.filter((e) => !oldEdges.has(e.id) || !sameEdge(oldEdges.get(e.id)!, e)).map((e) => e.id),
    jobs: jobs.filter((j) => oldJobs.get(j.id)?.state !== j.state).map((j) => j.id),
    removed: [
      ...[...oldNodes.values()].filter((n) => !nodeNames.has(n.name)).map((n) => `node ${n.name} (${n.driver})`),
      ...[...oldEdges.values()].filter((e) => !edgeIds.has(e.id)).map((e) => `edge ${e.parent.replace(/^\w+:/, '')} -${e.name}-> ${e.child}`),
    ],
  };
}

function commandOf(record: StepRecord): unknown {
  const { step } = record;
  return 'execute' in step ? { execute: step.execute, ...(step.arguments ? { arguments: step.arguments } : {}) } : step;
}

export function stepViews(result: RunResult): ModelRun {
  const seenJobs = new Map<string, JobView>();
  const views: StepView[] = [];
  for (const record of result.steps) {
    const graph = record.graph;
    const nodes = nodesOf(graph);
    const edges = edgesOf(graph);
    const jobs = jobsOf(graph, seenJobs);
    const previous = views[views.length - 1] ?? null;
    views.push({
      index: record.index,
      title: stepTitle(record),
      note: record.step.note ?? null,
      command: commandOf(record),
      reply: record.reply ?? null,
      events: record.events,
      changeLines: record.changes.map(changeLine),
      check: record.check ?? null,
      nodes,
      edges,
      users: usersOf(graph),
      jobs,
      ...chardevViews(graph),
      changed: changedBetween(previous, nodes, edges, jobs),
      blame: blameFor(graph, record.reply, 'execute' in record.step ? record.step.arguments : undefined),
    });
  }
  return { model: result.model, ok: result.ok, steps: views };
}

