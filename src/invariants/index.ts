/**
 * The invariant catalogue: named properties of the permission graph, each resting on a QEMU fact
 * (docs/invariants.md). All are pure functions of a snapshot (and, for the refused-command one,
 * of the snapshot before and the reply), so any snapshot can be checked: by tests, by the bounded
 * explorer (`permgraph check`) and after every command with `--check-invariants`.
 */
import { viewOf } from './view.js';
import { getBackend, getNode, isLeaked } from '../graph/graph.js';
import type { Graph } from '../graph/types.js';
import type { QmpReply } from '../qapi/reply.js';
import { graphDifference } from './deep-equal.js';
import { childPermsFollowDriver, noWriteOnReadOnly, parentsShare } from './perms.js';
import { dynamicReadWriteIffWriter, fdFollowsWriters, machineAtRest, nbdWriteOnlyWhereLet } from './read-only.js';
import { acyclic, edgesPointAtLiveNodes, jobsConsistent, namesUnique } from './structure.js';
import type { InvariantContext, InvariantName, SnapshotInvariant, Violation } from './types.js';
import { rulesOf } from '../models/rules.js';
import { remember } from './verdicts.js';

export type { InvariantContext, InvariantName, SnapshotInvariant, Violation } from './types.js';

/** Every snapshot invariant, structure first (the others assume live links). */
export const SNAPSHOT_INVARIANTS: readonly SnapshotInvariant[] = [
  namesUnique,
  edgesPointAtLiveNodes,
  acyclic,
  parentsShare,
  childPermsFollowDriver,
  noWriteOnReadOnly,
  fdFollowsWriters,
  dynamicReadWriteIffWriter,
  nbdWriteOnlyWhereLet,
  machineAtRest,
  jobsConsistent,
];

export const REFUSED_COMMAND_FACT =
  'spec §4.1, §4.7 and §10 inv. 14: a refused command leaves edges, perms, `ro` and descriptors as they were; the graph change and its refresh are one transaction that aborts as a whole (util/transactions.c: tran_abort(); block.c: bdrv_list_refresh_perms()). QEMU 7.2 breaks it once: a block-stream refused after its BlockBackend was made leaves that backend behind (block/stream.c: stream_start())';

/** The catalogue as (name, fact) rows, for documentation and `permgraph check --help`. */
export const INVARIANT_FACTS: readonly { readonly name: InvariantName; readonly fact: string }[] = [
  ...SNAPSHOT_INVARIANTS.map(({ name, fact }) => ({ name, fact })),
  { name: 'refused-command-unchanged', fact: REFUSED_COMMAND_FACT },
];

/** Every snapshot invariant on one snapshot; the broken ones, structure first. */
export function checkSnapshot(graph: Graph, context: InvariantContext = {}): Violation[] {
  const out: Violation[] = [];
  const found: Violation[][] = [];
  for (const invariant of SNAPSHOT_INVARIANTS) {
    const broken = invariant.check(graph, context);
    found.push(broken);
    out.push(...broken);
    if (out.length && invariant === acyclic) break; // the rest would walk broken links
  }
  // what each invariant found, for checkChanged() from this snapshot
  remember(graph, context.storage, found);
  return out;
}

/** Nodes activated or inactivated, or BlockBackends that let their perms go or took them back. */
function activationChanged(before: Graph, after: Graph): boolean {
  const nodes = viewOf(after).nodes.some((n) => n.inactive !== (getNode(before, n.name)?.inactive ?? n.inactive));
  return nodes || viewOf(after).backends.some((b) => b.disablePerm !== getBackend(before, b.id)?.disablePerm);
}

/** A refused command left the snapshot as it was (QEMU's known leftovers are marked as quirks). */
export function checkRefusedCommand(before: Graph, after: Graph, reply: QmpReply, command: string): Violation[] {
  if (!('error' in reply) || before === after) return [];
  const where = graphDifference(before, after);
  if (where === null) return [];
  const leak = rulesOf(after.model).failedStreamLeaksBackend && viewOf(after).backends.some(isLeaked);
  const stepwise = !leak && activationChanged(before, after);
  const woke = !leak && !stepwise && rulesOf(after.model).throttledSleepCutShort && graphDifference({ ...before, jobs: after.jobs }, after) === null;
  return [
    {
      invariant: 'refused-command-unchanged',
      message: `refused ${command} (${reply.error.desc}) changed the graph at ${where}`,
      ...(leak ? { quirk: 'QEMU leaves the BlockBackend of a failed block-stream on the device node (spec §3.7)' } : {}),
      ...(stepwise ? { quirk: 'QEMU 10.0 activates and inactivates node by node: what was done before the failure stays (block.c: bdrv_activate(), bdrv_inactivate_recurse())' } : {}),
      ...(woke ? { quirk: "QEMU 7.2 wakes a throttled job whose nodes a command drained, a refused command's too, and the job takes its next step (src/jobs/throttle-wake.ts)" } : {}),
    },
  ];
}

/** The invariants after one command: the refused-command check, then the snapshot's own. */
export function checkStep(
  before: Graph,
  after: Graph,
  step: { readonly command: string; readonly reply?: QmpReply },
  context: InvariantContext = {},
): Violation[] {
  const refused = step.reply ? checkRefusedCommand(before, after, step.reply, step.command) : [];
  return [...refused, ...checkSnapshot(after, context)];
}

/** One line per violation: `invariant: message`. */
export const formatViolation = (v: Violation): string => `${v.invariant}: ${v.message}${v.quirk ? ` [QEMU quirk: ${v.quirk}]` : ''}`;
