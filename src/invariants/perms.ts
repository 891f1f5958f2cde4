/**
 * Permission invariants: parents share what the others take, every edge carries what its parent
 * asks, and nobody writes to a read-only node. They use the reference driver table (DRIVERS), not
 * whichever table the runtime ran with, so a wrong policy shows up as a wrong edge.
 */
import { DRIVERS } from '../drivers/registry.js';
import { describeParent, getBackend, getNode } from '../graph/graph.js';
import { viewOf } from './view.js';
import type { BlockNode, Edge, Graph } from '../graph/types.js';
import { PERM_ALL, permNames } from '../perms/perm.js';
import { WRITE_PERMS } from '../perms/writers.js';
import { defineInvariant, inScope } from './types.js';
import { rulesOf } from '../models/rules.js';

const edgeLabel = (g: Graph, e: Edge): string => `${describeParent(g, e.parent)} -[${e.name}]-> '${e.child}'`;

export const parentsShare = defineInvariant(
  'parents-share',
  'spec §4.3 step 1 and §10 inv. 4: every ordered pair of parents (a, b) has b.perm ⊆ a.shared (block.c: bdrv_parent_perms_conflict(), bdrv_a_allow_b())',
  (g, report, _context, scope) => {
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      const parents = viewOf(g).parents(node);
      for (const a of parents) {
        if (a.perm & ~PERM_ALL || a.shared & ~PERM_ALL) {
          report(`${edgeLabel(g, a)} has perm bits outside ALL`);
        }
        for (const b of parents) {
          const clash = a === b ? 0 : b.perm & ~a.shared & PERM_ALL;
          if (clash) {
            report(`on '${node.name}': '${permNames(clash)}' taken by ${describeParent(g, b.parent)} ('${b.name}') is not shared by ${describeParent(g, a.parent)} ('${a.name}')`);
          }
        }
      }
    }
  },
);

interface Expected {
  readonly perm: number;
  readonly shared: number;
  /** The shared perms with the child's force-share override the other way round. */
  readonly otherShared?: number;
  /** What the edge holds when the parent became inactive by a reopen, refreshed while still active. */
  readonly beforeInactive?: { readonly perm: number; readonly shared: number };
}

/**
 * What a node-parent's driver asks of one child edge (bdrv_child_perm() with the force-share
 * override), and what the edge would hold with the override the other way round.
 */
function expectedChildPerm(g: Graph, parent: BlockNode, edge: Edge): Expected | null {
  const rule = DRIVERS[parent.driver].childPerm;
  if (!rule) return null;
  const { perm, shared } = viewOf(g).cumulative(parent);
  const ask = (writable: boolean, asParent: BlockNode) =>
    rule({ perm, shared, role: edge.role, parentWritable: writable, edgeName: edge.name, parent: asParent, rules: rulesOf(g.model) });
  const want = ask(!parent.readOnly && !parent.inactive, parent);
  const forceShare = getNode(g, edge.child)?.forceShare === true;
  const before = parent.inactive ? ask(false, { ...parent, inactive: false }) : undefined;
  const beforeInactive = before && { perm: before.perm, shared: forceShare ? PERM_ALL : before.shared };
  return {
    ...(forceShare ? { perm: want.perm, shared: PERM_ALL, otherShared: want.shared } : { ...want, otherShared: PERM_ALL }),
    ...(beforeInactive ? { beforeInactive } : {}),
  };
}

const STALE_FORCE_SHARE =
  "an edge moved onto (or off) a force-share node keeps the shared perms its parent last gave it: bdrv_replace_node_common() refreshes the nodes it moves edges between, not the edges' parents, so the child's force-share override (bdrv_child_perm()) waits for the parent's next refresh";

const STALE_INACTIVE =
  'a node a reopen made inactive (`active: false`) keeps the child perms of the reopen\'s refresh, which ran while it was still active: bdrv_reopen_commit() sets BDRV_O_INACTIVE afterwards, and nothing refreshes it then (QEMU 10.0)';

/** Which of QEMU's known leftovers an edge that differs from what its parent asks shows, if any. */
function staleness(edge: Edge, want: Expected): string | undefined {
  // QEMU 7.2 leaves exactly this difference after moving an edge (qemu-storage-daemon shows it)
  if (want.perm === edge.perm && want.otherShared === edge.shared) return STALE_FORCE_SHARE;
  if (want.beforeInactive?.perm === edge.perm && want.beforeInactive.shared === edge.shared) return STALE_INACTIVE;
  return undefined;
}

export const childPermsFollowDriver = defineInvariant(
  'child-perms-follow-driver',
  "spec §3.5 and §10 inv. 6-7: a node-parent's edge carries what its driver's .bdrv_child_perm gives for the parent's own cumulative perm and shared, with the child's force-share (block.c: bdrv_child_perm(), bdrv_default_perms()); a BlockBackend's edge carries the perm and shared it asked for, or none and all while its perms are disabled on an inactive node (block-backend.c: blk_insert_bs(), blk_set_perm(), blk_root_inactivate())",
  (g, report, _context, scope) => {
    for (const edge of inScope(viewOf(g).edges, scope?.edge)) {
      let want: Expected | null = null;
      if (edge.parent.kind === 'node') {
        const parent = getNode(g, edge.parent.node);
        if (parent) want = expectedChildPerm(g, parent, edge);
      } else if (edge.parent.kind === 'backend') {
        const backend = getBackend(g, edge.parent.backend);
        // a backend on an inactive node holds back its perms (blk->disable_perm)
        if (backend) want = backend.disablePerm ? { perm: 0, shared: PERM_ALL } : { perm: backend.perm, shared: backend.shared };
      }
      if (want && (want.perm !== edge.perm || want.shared !== edge.shared)) {
        report(
          `${edgeLabel(g, edge)} holds perm '${permNames(edge.perm)}' shared '${permNames(edge.shared)}', its parent asks perm '${permNames(want.perm)}' shared '${permNames(want.shared)}'`,
          staleness(edge, want),
        );
      }
    }
  },
);

export const noWriteOnReadOnly = defineInvariant(
  'no-write-on-read-only',
  "spec §4.3 step 3 and §10 inv. 5: no parent holds write or write unchanged on a node whose `ro` is on (block.c: bdrv_node_refresh_perm(), 'Block node is read-only')",
  (g, report, _context, scope) => {
    for (const node of inScope(viewOf(g).nodes, scope?.node)) {
      if (!node.readOnly) continue;
      const { perm } = viewOf(g).cumulative(node);
      if (perm & WRITE_PERMS) {
        report(`'${node.name}' is read-only but its parents hold '${permNames(perm & WRITE_PERMS)}'`);
      }
    }
  },
);
