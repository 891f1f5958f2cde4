/**
 * What a universe command can read or change in a state: the parts of the graph it reaches. A
 * state's parts are the connected components of its names, joined through edges (parent and
 * child), exports (their node and NBD name), jobs (device, filter, the nodes of their plan, their
 * transaction), BlockBackends (owner and node), and the files and NBD servers nodes use. A
 * command reaches every part holding a string it gives (a string it gives that nothing holds
 * yet is a part of its own: `job-pause c1` with no c1 still meets `block-commit job-id c1`).
 * Whatever is not known to stay within its parts reaches everything.
 */
import { getBackend, getEdge } from '../graph/graph.js';
import type { Graph, Job, ParentRef } from '../graph/types.js';
import { viewOf } from '../invariants/view.js';
import type { UniverseCommand } from './universe.js';

/** The parts a command reaches (sorted part numbers), or every part. */
export type Footprint = { readonly all: true } | { readonly all: false; readonly parts: readonly number[] };

export const EVERYTHING: Footprint = { all: true };

/** Commands known to act only on the names they give and what is joined to them. */
const LOCAL = new Set([
  'blockdev-add', 'blockdev-del', 'blockdev-reopen', 'block-export-add', 'block-export-del', 'device_add', 'device_del',
  'block-commit', 'block-stream', 'blockdev-mirror', 'blockdev-backup', 'job-pause', 'job-resume', 'job-cancel', 'job-complete',
  'job-dismiss', 'job-finalize', 'block-job-pause', 'block-job-resume', 'block-job-cancel', 'block-job-complete',
  'block-job-dismiss', 'block-job-finalize', 'block-job-set-speed', 'block-set-write-threshold',
]);
const STARTS_JOB = new Set(['block-commit', 'block-stream', 'blockdev-mirror', 'blockdev-backup']);
/** Drivers that open no backing file of their own when none is given. */
const NO_BACKING = new Set(['file', 'host_device', 'host_cdrom', 'raw', 'null-co', 'null-aio', 'throttle', 'copy-on-read', 'blkdebug', 'blkverify']);

/** Union-find over the names of one state. */
export class Parts {
  private readonly index = new Map<string, number>();
  private readonly up: number[] = [];

  id(token: string): number {
    let i = this.index.get(token);
    if (i === undefined) {
      i = this.up.length;
      this.index.set(token, i);
      this.up.push(i);
    }
    return i;
  }

  root(i: number): number {
    while (this.up[i] !== i) i = this.up[i] = this.up[this.up[i]!]!;
    return i;
  }

  join(a: string, b: string | null | undefined): void {
    if (b === null || b === undefined || b === '') return;
    const [x, y] = [this.root(this.id(a)), this.root(this.id(b))];
    if (x !== y) this.up[Math.max(x, y)] = Math.min(x, y);
  }

  part(token: string): number {
    return this.root(this.id(token));
  }
}

function parentToken(g: Graph, p: ParentRef): string | undefined {
  if (p.kind === 'node') return p.node;
  if (p.kind === 'job') return p.job;
  return ownerToken(getBackend(g, p.backend)?.owner);
}

const ownerToken = (owner: { readonly kind: string; readonly id?: string; readonly purpose?: string } | undefined): string | undefined =>
  owner === undefined ? undefined : owner.kind === 'internal' ? `\u0000internal:${owner.purpose ?? ''}` : owner.id;

function joinJob(parts: Parts, g: Graph, j: Job): void {
  parts.join(j.id, j.device);
  parts.join(j.id, j.filter);
  parts.join(j.id, j.txn === undefined ? undefined : `\u0000txn:${j.txn}`);
  for (const v of Object.values(j.plan)) if (typeof v === 'string') parts.join(j.id, v);
  if (j.plan.kind === 'backup' && j.plan.bitmap) parts.join(j.id, j.plan.source);
  for (const id of j.edges) parts.join(j.id, getEdge(g, id)?.child);
  for (const id of j.backends) parts.join(j.id, ownerToken(getBackend(g, id)?.owner));
}

const partsCache = new WeakMap<Graph, Parts>();

/** The parts of a snapshot's names (remembered for the snapshot). */
export function partsOf(g: Graph): Parts {
  let parts = partsCache.get(g);
  if (parts) return parts;
  parts = new Parts();
  const view = viewOf(g);
  for (const n of view.nodes) {
    parts.id(n.name);
    parts.join(n.name, n.file?.path);
    parts.join(n.name, n.file?.identity);
    if (n.filename.startsWith('/')) parts.join(n.name, n.filename);
    parts.join(n.name, n.inheritsFrom);
    parts.join(n.name, n.remote?.server);
  }
  for (const e of view.edges) parts.join(e.child, parentToken(g, e.parent));
  for (const b of view.backends) {
    const owner = ownerToken(b.owner);
    if (owner !== undefined && b.edge !== null) parts.join(owner, getEdge(g, b.edge)?.child);
  }
  for (const x of view.exports) {
    parts.join(x.id, x.nodeName);
    parts.join(x.id, x.name);
  }
  for (const j of Object.values(g.jobs)) joinJob(parts, g, j);
  partsCache.set(g, parts);
  return parts;
}

/** Keys whose values are QAPI enum members, never names (every other string may be one). */
const ENUM_KEYS = new Set([
  'type', 'driver', 'sync', 'mode', 'format', 'aio', 'discard', 'detect-zeroes', 'locking', 'on-error', 'on-source-error',
  'on-target-error', 'copy-mode', 'bitmap-mode', 'cache-clean-interval', 'overlap-check', 'compression-type',
]);

/** Every string a JSON value holds, but the enum members. */
function stringsOf(value: unknown, key: string, out: string[]): string[] {
  if (typeof value === 'string') {
    if (!ENUM_KEYS.has(key)) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) stringsOf(v, key, out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsOf(v, k, out);
  return out;
}

/**
 * Whether options reach what their strings do not name: an NBD server (its clients share its
 * client limit, and its address is keyed apart from the path), or, when a node is added, a
 * format node given no `backing`, which opens the backing file its image names.
 */
function reachesFurther(value: unknown, adding: boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => reachesFurther(v, adding));
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  if ('server' in o || o['driver'] === 'nbd') return true;
  if (adding && typeof o['driver'] === 'string' && !NO_BACKING.has(o['driver']) && !('backing' in o)) return true;
  return Object.values(o).some((v) => reachesFurther(v, adding));
}

/** What every command that may make a node with a generated name meets. */
const GENERATED = '\u0000generated';

/** Whether options open a node of their own below the top (one given as an object) without a node-name. */
function makesGenerated(value: unknown, depth: number): boolean {
  if (Array.isArray(value)) return value.some((v) => makesGenerated(v, depth));
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  if (depth > 0 && 'driver' in o && !('node-name' in o)) return true;
  return Object.values(o).some((v) => makesGenerated(v, depth + 1));
}

/** The names a command gives, or undefined when it may reach anything. */
export function namesOf(command: UniverseCommand): string[] | undefined {
  if ('chmod' in command) return [command.chmod[0], `virtual:${command.chmod[0]}`];
  if (!('execute' in command) || !LOCAL.has(command.execute)) return undefined;
  const args = command.arguments ?? {};
  if (reachesFurther(args, command.execute === 'blockdev-add')) return undefined;
  const names = stringsOf(args, '', []);
  // generated names are numbered in the order their nodes were made, across all parts (canonical-names.ts)
  if (makesGenerated(args, 0) || (STARTS_JOB.has(command.execute) && names.some((n) => n.startsWith('#')))) names.push(GENERATED);
  for (const s of [...names]) if (s.startsWith('/')) names.push(`virtual:${s}`);
  return names;
}

/** The id of the job a command starts (its job-id, else its device); undefined for other commands. */
export function startedJob(command: UniverseCommand): string | undefined {
  if (!('execute' in command) || !STARTS_JOB.has(command.execute)) return undefined;
  const args = command.arguments ?? {};
  return String(args['job-id'] ?? args['device']);
}

const footprintOf = (parts: Parts, tokens: readonly string[]): Footprint => ({
  all: false,
  parts: [...new Set(tokens.map((t) => parts.part(t)))].sort((a, b) => a - b),
});

/**
 * The footprint of a command in a snapshot. `jobsToStart`: the ids of the jobs the universe's
 * commands start (startedJob()), which a clock advance meets: whether a job starts before or
 * after the clock moves changes how far it gets.
 */
export function commandFootprint(g: Graph, command: UniverseCommand, jobsToStart: readonly string[]): Footprint {
  const parts = partsOf(g);
  if ('advance' in command) return footprintOf(parts, [...Object.keys(g.jobs), ...jobsToStart]);
  const names = namesOf(command);
  return names ? footprintOf(parts, names) : EVERYTHING;
}

/** Whether two footprints of one state share no part. */
export function disjoint(a: Footprint, b: Footprint): boolean {
  if (a.all || b.all) return false;
  let i = 0;
  let j = 0;
  while (i < a.parts.length && j < b.parts.length) {
    const [x, y] = [a.parts[i]!, b.parts[j]!];
    if (x === y) return false;
    if (x < y) i++;
    else j++;
  }
  return true;
}
