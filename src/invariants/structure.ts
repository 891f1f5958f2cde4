/**
 * Structural invariants: unique names, links that agree from both ends, no cycle, and jobs that
 * hold exactly the edges and backends they list, in a status QEMU's table knows.
 */
import { JOB_TRANSITIONS } from '../jobs/job-status.js';
import { getBackend, getEdge, getExport, getJob, getNode } from '../graph/graph.js';
import { getShard } from '../graph/shards.js';
import { viewOf } from './view.js';
import { shardValueList } from '../graph/shard-walk.js';
import type { JobStatus, NodeName } from '../graph/types.js';
import { defineInvariant, inScope } from './types.js';

const once = (list: readonly number[], id: number): boolean => list.indexOf(id) !== -1 && list.indexOf(id) === list.lastIndexOf(id);

export const namesUnique = defineInvariant(
  'names-unique',
  "spec §3.1 and §10 inv. 3: node names are unique and distinct from device ids; export ids and NBD export names are unique (block.c: bdrv_assign_node_name() 'Duplicate nodes with node-name', 'node-name=… is conflicting with a device id'; export.c: blk_exp_add())",
  (g, report) => {
    const seen = new Set<string>();
    for (const node of viewOf(g).nodes) {
      if (seen.has(node.name)) report(`two nodes are named '${node.name}'`);
      seen.add(node.name);
      if (getNode(g, node.name) !== node) report(`node '${node.name}' is not found under its own name`);
    }
    for (const backend of viewOf(g).backends) {
      if (backend.owner.kind === 'device' && seen.has(backend.owner.id)) report(`device id '${backend.owner.id}' is also a node name`);
    }
    const exportNames = new Set<string>();
    for (const exp of viewOf(g).exports) {
      if (getExport(g, exp.id) !== exp) report(`export '${exp.id}' is not found under its own id`);
      if (exportNames.has(exp.name)) report(`two exports are named '${exp.name}'`);
      exportNames.add(exp.name);
      if (getShard(g.exportNames, exp.name) !== exp.id) report(`NBD export name '${exp.name}' does not lead to export '${exp.id}'`);
    }
    for (const id of shardValueList(g.exportNames)) {
      if (!getExport(g, id)) report(`an NBD export name leads to a missing export '${id}'`);
    }
  },
);

export const edgesPointAtLiveNodes = defineInvariant(
  'edges-point-at-live-nodes',
  'spec §3.1 and §10 inv. 1: every BdrvChild joins one live parent (node, BlockBackend or job) to one live node and is listed once in the child\'s parents and the parent\'s children (block.c: bdrv_replace_child_noperm(), bdrv_child_cb_attach(), bdrv_close() detaching children first)',
  (g, report, _context, scope) => {
    for (const edge of inScope(viewOf(g).edges, scope?.edge)) {
      const child = getNode(g, edge.child);
      if (!child) report(`edge ${edge.id} ('${edge.name}') points at the deleted node '${edge.child}'`);
      else if (!once(child.parents, edge.id)) report(`edge ${edge.id} ('${edge.name}') is not listed once among '${edge.child}''s parents`);
      const p = edge.parent;
      if (p.kind === 'node') {
        const parent = getNode(g, p.node);
        if (!parent) report(`edge ${edge.id} ('${edge.name}') is held by the deleted node '${p.node}'`);
        else if (!once(parent.children, edge.id)) report(`edge ${edge.id} ('${edge.name}') is not listed once among '${p.node}''s children`);
      } else if (p.kind === 'backend') {
        if (getBackend(g, p.backend)?.edge !== edge.id) report(`edge ${edge.id} ('${edge.name}') is held by backend ${p.backend}, which does not hold it`);
      } else if (!getJob(g, p.job)?.edges.includes(edge.id)) {
        report(`edge ${edge.id} ('${edge.name}') is held by job '${p.job}', which does not list it`);
      }
    }
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      for (const id of node.parents) if (getEdge(g, id)?.child !== node.name) report(`'${node.name}' lists parent edge ${id}, which does not point at it`);
      for (const id of node.children) {
        const parent = getEdge(g, id)?.parent;
        if (parent?.kind !== 'node' || parent.node !== node.name) report(`'${node.name}' lists child edge ${id}, which it does not hold`);
      }
    }
    for (const backend of inScope(viewOf(g).backends, scope?.backend)) {
      if (backend.edge !== null && !getEdge(g, backend.edge)) report(`backend ${backend.id} holds the missing edge ${backend.edge}`);
    }
    for (const exp of inScope(viewOf(g).exports, scope?.export)) {
      // the export follows its backend (jobs and snapshots move it): node-name is only where it began
      const backend = getBackend(g, exp.backend);
      if (!backend) report(`export '${exp.id}' has lost its backend ${exp.backend}`);
      else if (backend.owner.kind !== 'export' || backend.owner.id !== exp.id) report(`export '${exp.id}' uses backend ${exp.backend}, owned by someone else`);
      else if (backend.edge === null) report(`export '${exp.id}' exports no node (its backend has no edge)`);
    }
  },
);

export const acyclic = defineInvariant(
  'acyclic',
  "spec §3.1 and §10 inv. 1: no node is its own ancestor (block.c: bdrv_attach_child_noperm() 'would create a cycle'); the refresh's topological order relies on every parent standing higher than its children (block.c: bdrv_topological_dfs())",
  (g, report, _context, scope) => {
    // every parent stands higher than its children: then no path can come back to where it began
    let ordered = true;
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      for (const id of node.children) {
        const edge = getEdge(g, id);
        const child = edge && getNode(g, edge.child);
        if (child && child.height >= node.height) {
          ordered = false;
          report(`'${node.name}' (height ${node.height}) does not stand above its child '${child.name}' (height ${child.height})`);
        }
      }
    }
    // a cycle is looked for over the whole graph, scope or none
    if (ordered) return;
    const state = new Map<NodeName, 'open' | 'done'>();
    const visit = (name: NodeName, path: NodeName[]): void => {
      const seen = state.get(name);
      if (seen === 'done') return;
      if (seen === 'open') {
        report(`cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`);
        return;
      }
      state.set(name, 'open');
      for (const id of getNode(g, name)?.children ?? []) {
        const edge = getEdge(g, id);
        if (edge) visit(edge.child, [...path, name]);
      }
      state.set(name, 'done');
    };
    for (const node of viewOf(g).nodes) visit(node.name, []);
  },
);

/** Statuses a job listed in the graph can have: created by job_create(), not yet gone (null). */
const LIVE_STATUSES = new Set<JobStatus>((Object.keys(JOB_TRANSITIONS) as JobStatus[]).filter((s) => s !== 'undefined' && s !== 'null'));

export const jobsConsistent = defineInvariant(
  'jobs-consistent',
  'spec §3.7 and §10 inv. 15: a job is in a status of JobSTT, and the edges it holds are exactly those block_job_add_bdrv() gave it, its internal BlockBackends exactly those it made, its filter alive while it lists one (job.c: job_state_transition(); blockjob.c: block_job_add_bdrv(), block_job_remove_all_bdrv())',
  (g, report, _context, scope) => {
    for (const job of inScope(Object.values(g.jobs), scope?.job)) {
      if (!LIVE_STATUSES.has(job.status)) report(`job '${job.id}' is listed in status '${job.status}'`);
      for (const id of job.edges) {
        const edge = getEdge(g, id);
        if (!edge) report(`job '${job.id}' lists the missing edge ${id}`);
        else if (edge.parent.kind !== 'job' || edge.parent.job !== job.id) report(`job '${job.id}' lists edge ${id} ('${edge.name}'), held by another parent`);
      }
      for (const id of job.backends) {
        const backend = getBackend(g, id);
        if (!backend) report(`job '${job.id}' lists the missing backend ${id}`);
        else if (backend.owner.kind !== 'job' || backend.owner.id !== job.id) report(`job '${job.id}' lists backend ${id}, owned by someone else`);
      }
      if (job.filter !== null && !getNode(g, job.filter)) report(`job '${job.id}' lists the deleted filter '${job.filter}'`);
    }
    for (const edge of inScope(viewOf(g).edges, scope?.edge)) {
      if (edge.parent.kind === 'job' && !getJob(g, edge.parent.job)) report(`edge ${edge.id} ('${edge.name}' on '${edge.child}') is held by the missing job '${edge.parent.job}'`);
    }
    for (const backend of inScope(viewOf(g).backends, scope?.backend)) {
      if (backend.owner.kind !== 'job') continue;
      if (!getJob(g, backend.owner.id)?.backends.includes(backend.id)) report(`backend ${backend.id} belongs to job '${backend.owner.id}', which does not list it`);
    }
  },
);

