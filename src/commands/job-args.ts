/**
 * What a job start command's arguments name, and whether they may be used (blockdev.c): the
 * node lookups with QEMU's refusals, the op blockers, the common job options and the bitmap sync
 * modes' need of a bitmap. The start commands run these on the snapshot, in QEMU's order,
 * before their transaction.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { getNode, parentEdges } from '../graph/graph.js';
import type { Graph, NodeName } from '../graph/types.js';
import { opBlocked, type BlockOp } from '../jobs/blockers.js';
import type { JobOptions } from '../jobs/start.js';
import type { CommandArgs } from './command.js';

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The options every job start shares; without a job-id, the job is named `fallbackId`. */
export function jobOptions(args: CommandArgs, fallbackId: string): JobOptions {
  const filter = str(args['filter-node-name']);
  const onSourceError = args['on-source-error'] ?? args['on-error'];
  return {
    id: str(args['job-id']) ?? fallbackId,
    speed: (args['speed'] as number | undefined) ?? 0,
    autoFinalize: args['auto-finalize'] !== false,
    autoDismiss: args['auto-dismiss'] !== false,
    ...(filter !== undefined ? { filterNodeName: filter } : {}),
    ...(args['copy-mode'] === 'write-blocking' ? { copyMode: 'write-blocking' as const } : {}),
    ...(args['discard-source'] === true ? { discardSource: true as const } : {}),
    ...(args['sync'] === 'none' ? { syncNone: true as const } : {}),
    ...(args['sync'] === 'top' ? { syncTop: true as const } : {}),
    ...(onSourceError === 'stop' || onSourceError === 'ignore' ? { onSourceError } : {}),
    ...mirrorCopy(args),
  };
}

/** A mirror's `granularity` and `buf-size`, where given other than 0 (the defaults else). */
function mirrorCopy(args: CommandArgs): Pick<JobOptions, 'mirrorCopy'> {
  const granularity = (args['granularity'] as number | undefined) ?? 0;
  const bufSize = (args['buf-size'] as number | undefined) ?? 0;
  if (granularity === 0 && bufSize === 0) return {};
  return { mirrorCopy: { ...(granularity !== 0 ? { granularity } : {}), ...(bufSize !== 0 ? { bufSize } : {}) } };
}

/** blockdev_mirror_common(): a granularity given must be a power of 2 within [512 B, 64 MiB]. */
export function checkMirrorGranularity(args: CommandArgs): void {
  const granularity = (args['granularity'] as number | undefined) ?? 0;
  if (granularity !== 0 && (granularity < 512 || granularity > 64 * 1024 * 1024)) fail(msg.mirrorGranularityRange());
  if ((granularity & (granularity - 1)) !== 0) fail(msg.mirrorGranularityPowerOf2());
}

/** qmp_get_root_bs(): a node that only root users (backends, jobs) hold. */
export function rootNode(graph: Graph, device: string): NodeName {
  const node = getNode(graph, device);
  if (!node) fail(msg.cannotFindDevice(device, device));
  if (parentEdges(graph, node).some((e) => e.parent.kind === 'node' || e.parent.kind === 'job')) fail(msg.needRootNode());
  return node.name;
}

/** The op blocker's refusal, if `node` blocks `op`. */
export function refuseIfBlocked(graph: Graph, node: NodeName, op: BlockOp): void {
  const reason = opBlocked(graph, node, op);
  if (reason) fail(reason);
}

/** bdrv_lookup_bs(device, device). */
export const lookupDevice = (graph: Graph, name: string): NodeName => lookupNode(graph, name, true);

/** bdrv_lookup_bs(device, node): by node name only, or (device = node) by either. */
export function lookupNode(graph: Graph, name: string, asDevice = false): NodeName {
  if (!getNode(graph, name)) fail(msg.cannotFindDevice(asDevice ? name : '', name));
  return name;
}

/** do_backup_common(): the bitmap sync modes need a bitmap (none can be named here). */
export function needsBitmap(args: Readonly<Record<string, unknown>>): void {
  const sync = args['sync'];
  if ((sync === 'incremental' || sync === 'bitmap') && args['bitmap'] === undefined) {
    fail(msg.bitmapNameRequired(sync));
  }
}
