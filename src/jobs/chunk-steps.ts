/**
 * The steps of a commit or stream (block/commit.c: commit_run(), block/stream.c: stream_run()):
 * from offset 0, each step takes a run of one allocation status, at most 512 KiB
 * (COMMIT_BUFFER_SIZE, STREAM_CHUNK), and copies it where its data lies in the images the job
 * copies from: a commit what is allocated from its top down to its base
 * (bdrv_is_allocated_above()), a stream what its device does not allocate itself and the images
 * below it down to the base do. A job sleeps at its rate limit only after a step that copied.
 * An image's data is what its qcow2 clusters hold; an image of another format, or one whose
 * clusters are not known, holds data everywhere.
 */
import { getNode } from '../graph/graph.js';
import type { ByteRange } from '../graph/bitmap-bits.js';
import type { Graph, Job, NodeName } from '../graph/types.js';
import { belowInChain, isFilter, skipFilters } from '../core/chain.js';

const STEP = 512 * 1024;

/** Where the ranges hold data: 'all', or merged byte ranges in order. */
type Data = 'all' | readonly ByteRange[];

function ownData(graph: Graph, name: NodeName): Data {
  const node = getNode(graph, name);
  const facts = node?.header?.qcow2;
  if (!node || node.driver !== 'qcow2' || !facts?.layout) return 'all';
  const cluster = facts.clusterSize;
  const clusters = facts.layout.flatMap((c) => (c !== null && 'data' in c ? [c.data] : [])).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const c of clusters) {
    const last = ranges.at(-1);
    if (last && last[1] === c * cluster) last[1] = (c + 1) * cluster;
    else ranges.push([c * cluster, (c + 1) * cluster]);
  }
  return ranges;
}

/** The images from `first` down to `base` (without it), filters left out: what each holds. */
function chainLayers(graph: Graph, first: NodeName | null, base: NodeName | null): Data[] {
  const layers: Data[] = [];
  for (let at = first; at !== null && at !== base; at = belowInChain(graph, at)) {
    if (!isFilter(getNode(graph, at)?.driver ?? '')) layers.push(ownData(graph, at));
  }
  return layers;
}

/** Whether `at` holds data, and where that status ends (at most `end`). */
function statusAt(data: Data, at: number, end: number): { readonly held: boolean; readonly until: number } {
  if (data === 'all') return { held: true, until: end };
  for (const [from, to] of data) {
    if (to <= at) continue;
    return from <= at ? { held: true, until: Math.min(to, end) } : { held: false, until: Math.min(from, end) };
  }
  return { held: false, until: end };
}

/**
 * bdrv_is_allocated_above() over the layers, top first: the first layer that holds `at` decides,
 * its run cut where a layer above it stops being unallocated; none: unallocated as far as all are.
 */
function chainStatus(layers: readonly Data[], at: number, end: number): { readonly held: boolean; readonly until: number } {
  let until = end;
  for (const data of layers) {
    const status = statusAt(data, at, until);
    if (status.held) return status;
    until = status.until;
  }
  return { held: false, until };
}

/** One step from `at`: where it ends, and whether it copies. */
function step(graph: Graph, job: Job, at: number): { readonly end: number; readonly copies: boolean } {
  const cap = Math.min(job.len, at + STEP);
  const { plan } = job;
  if (plan.kind === 'commit') {
    const s = chainStatus(chainLayers(graph, plan.top, plan.base), at, cap);
    return { end: s.until, copies: s.held };
  }
  if (plan.kind !== 'stream') return { end: job.len, copies: false };
  const device = skipFilters(graph, plan.device);
  const own = statusAt(ownData(graph, device), at, cap);
  if (own.held) return { end: own.until, copies: false };
  const below = chainStatus(chainLayers(graph, belowInChain(graph, device), plan.base), at, own.until);
  return { end: below.until, copies: below.held };
}

/** The first step from `from` on that copies, [start, end); null when none is left. */
export function nextCopy(graph: Graph, job: Job, from: number): ByteRange | null {
  for (let at = from; at < job.len; ) {
    const s = step(graph, job, at);
    if (s.copies) return [at, s.end];
    at = s.end;
  }
  return null;
}


/** The node a commit's or stream's steps write into: the base, or the stream's device (its copy-on-read filter's child). */
export const writtenNode = (graph: Graph, job: Job): NodeName | undefined =>
  job.plan.kind === 'commit' ? job.plan.base : job.plan.kind === 'stream' ? skipFilters(graph, job.plan.device) : undefined;
