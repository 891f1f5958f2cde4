/**
 * Random QMP command sequences for the library's execute(): meaningful commands over a small set
 * of virtual image files (every simulated driver, reopens, jobs with every verb in and out of
 * turn, exports, devices, objects, snapshots, queries) and a share of hostile ones (unknown and
 * prototype-named nodes, ids and commands, wrong types, huge and negative integers, missing and
 * extra members). Names of nodes are drawn as references that resolve, when the command runs,
 * against the nodes the graph holds then (generated `#block…` names included), or as fixed names.
 */
import fc from 'fast-check';
import type { QmpCommand } from '../../../src/qapi/reply.js';
import type { Graph } from '../../../src/graph/types.js';
import { getEdge, getNode, jobsInOrder, nodesInOrder } from '../../../src/graph/graph.js';
import type { VirtualFile } from '../../../src/storage/virtual-storage.js';
import { QFloat } from '../../../src/util/qobject.js';
import { qjson } from '../../../src/util/qjson.js';

/** The image files every sequence starts from. */
export const RANDOM_FILES: Readonly<Record<string, VirtualFile>> = {
  '/v/disk.img': { format: 'raw', size: 1 << 20 },
  '/v/small.img': { format: 'raw', size: 1 << 16 },
  '/v/base.qcow2': { format: 'qcow2', size: 1 << 20 },
  '/v/mid.qcow2': { format: 'qcow2', size: 1 << 20, backingFile: '/v/base.qcow2', backingFormat: 'qcow2' },
  // a relative backing name, without a format: probed
  '/v/top.qcow2': { format: 'qcow2', size: 1 << 20, backingFile: 'mid.qcow2' },
  '/v/big.qcow2': { format: 'qcow2', size: 1 << 21, backingFile: '/v/base.qcow2', backingFormat: 'qcow2' },
  '/v/raw-backed.qcow2': { format: 'qcow2', size: 1 << 20, backingFile: '/v/disk.img', backingFormat: 'raw' },
  '/v/lost-backing.qcow2': { format: 'qcow2', size: 1 << 20, backingFile: '/v/missing.qcow2' },
  '/v/ro.qcow2': { format: 'qcow2', size: 1 << 20, writable: false },
  '/v/ro.img': { format: 'raw', size: 1 << 20, writable: false },
  '/v/erofs.img': { format: 'raw', size: 1 << 20, writable: 'Read-only file system' },
  '/v/noread.img': { format: 'raw', readable: false },
  '/v/dir': { regular: false },
  '/v/new.qcow2': { format: 'qcow2', size: 1 << 20 },
};

const FILENAMES = [...Object.keys(RANDOM_FILES), '/v/missing.img', '/v/new.img'];

/** Names nobody should be able to smuggle past a lookup. */
export const HOSTILE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'] as const;

const NEW_NAMES = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'];

const NODE = Symbol('node ref');
const JOB = Symbol('job ref');
const REOPEN = Symbol('reopen of a node');
const OMIT = Symbol('omitted');

/** How a reopen changes a node's own options. */
export interface ReopenChange {
  /** Children given inline become their node names (backing too, null when there is none). */
  readonly byName: boolean;
  readonly readOnly: boolean | typeof OMIT;
  readonly autoReadOnly: boolean | typeof OMIT;
  /** A member left out (by position), or none. */
  readonly drop: number | null;
  /** A new backing (a node, or null), or unchanged. */
  readonly backing: Value;
}

/**
 * A live node when the command runs: the n-th of all nodes, or of the root nodes (no node or job
 * above), then `down` steps down its chain (backing, or a filter's file).
 */
interface NodePick {
  readonly index: number;
  readonly root: boolean;
  readonly down: number;
}

/** A reference to a live node (or job) when the command runs, or to a node's options for a reopen. */
interface Ref {
  readonly [NODE]?: NodePick;
  readonly [JOB]?: number;
  readonly [REOPEN]?: { readonly node: number; readonly change: ReopenChange };
}

type Value = unknown;

/** One step: a QMP command (with references), or the clock moving on. */
export type Step = { readonly execute: string; readonly arguments?: Value } | { readonly advance: number };

// ---------------------------------------------------------------- resolving

/** The command a step stands for, in the graph it runs on. */
export function resolveStep(step: Extract<Step, { execute: string }>, graph: Graph): QmpCommand {
  const args = resolve(step.arguments, graph);
  return (args === OMIT || args === undefined ? { execute: step.execute } : { execute: step.execute, arguments: args }) as QmpCommand;
}

function resolve(value: Value, graph: Graph): Value {
  if (value === null || typeof value !== 'object') return value;
  const ref = value as Ref;
  if (ref[NODE] !== undefined) return pickNode(graph, ref[NODE]);
  if (ref[JOB] !== undefined) {
    const jobs = jobsInOrder(graph);
    return jobs.length ? jobs[ref[JOB] % jobs.length]!.id : 'j0';
  }
  if (ref[REOPEN] !== undefined) return reopenOf(graph, ref[REOPEN].node, ref[REOPEN].change);
  if (Array.isArray(value)) return value.map((v) => resolve(v, graph)).filter((v) => v !== OMIT);
  // own keys only, and defined as data so that '__proto__' stays a member
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const inner = resolve((value as Record<string, unknown>)[key], graph);
    if (inner !== OMIT) Object.defineProperty(out, key, { value: inner, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function pickNode(graph: Graph, pick: NodePick): string {
  const all = nodesInOrder(graph);
  const roots = pick.root ? all.filter((n) => n.parents.every((id) => getEdge(graph, id)?.parent.kind === 'backend')) : all;
  const from = roots.length ? roots : all;
  if (!from.length) return 'n0';
  let node = from[pick.index % from.length]!;
  for (let i = 0; i < pick.down; i++) {
    const below = node.children
      .map((id) => getEdge(graph, id))
      .find((e) => e?.name === 'backing' || (e?.name === 'file' && !['qcow2', 'raw'].includes(node.driver)));
    const next = below && getNode(graph, below.child);
    if (!next) break;
    node = next;
  }
  return node.name;
}

/** A live node's own options, changed as a client reopening it would change them. */
function reopenOf(graph: Graph, index: number, change: ReopenChange): Value {
  const nodes = nodesInOrder(graph);
  if (!nodes.length) return { driver: 'null-co', 'node-name': 'n0' };
  const node = nodes[index % nodes.length]!;
  const out: Record<string, unknown> = { ...node.options, 'node-name': node.name };
  if (change.byName) {
    for (const id of node.children) {
      const edge = getEdge(graph, id);
      if (edge && (edge.name === 'file' || edge.name === 'backing')) out[edge.name] = edge.child;
    }
    if (node.driver === 'qcow2' && !node.children.some((id) => getEdge(graph, id)?.name === 'backing')) out['backing'] = null;
  }
  if (change.readOnly !== OMIT) out['read-only'] = change.readOnly;
  if (change.autoReadOnly !== OMIT) out['auto-read-only'] = change.autoReadOnly;
  if (change.backing !== OMIT) out['backing'] = resolve(change.backing, graph);
  if (change.drop !== null) {
    const keys = Object.keys(out);
    delete out[keys[change.drop % keys.length]!];
  }
  return out;
}

/** A step as text (references as `@node3`, `@job1`). */
export function stepLabel(step: Step, resolved?: QmpCommand): string {
  if ('advance' in step) return `advance ${step.advance}s`;
  if (resolved) return qjson(resolved);
  return JSON.stringify(step, (_key, v: unknown) => {
    // numbers of the wire's kinds, as the wire writes them
    if (typeof v === 'bigint' || v instanceof QFloat) return qjson(v);
    const pick = v && typeof v === 'object' ? (v as Ref)[NODE] : undefined;
    if (pick) return `@${pick.root ? 'root' : 'node'}${pick.index}${pick.down ? `-${pick.down}` : ''}`;
    if (v && typeof v === 'object' && (v as Ref)[JOB] !== undefined) return `@job${(v as Ref)[JOB]!}`;
    if (v && typeof v === 'object' && (v as Ref)[REOPEN] !== undefined) return `@options-of-node${(v as Ref)[REOPEN]!.node}`;
    return v;
  });
}

// ---------------------------------------------------------------- values

const nodeRef = fc
  .record({ index: fc.nat(31), root: fc.boolean(), down: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(3) }) })
  .map((pick): Ref => ({ [NODE]: pick }));
const jobRef = fc.nat(7).map((i): Ref => ({ [JOB]: i }));
const hostile = fc.constantFrom<string>(...HOSTILE_NAMES);

/** An existing node, mostly; sometimes a name that is not there or should not be. */
const someNode: fc.Arbitrary<Value> = fc.oneof(
  { weight: 8, arbitrary: nodeRef },
  { weight: 1, arbitrary: fc.constantFrom(...NEW_NAMES, 'nosuch', '', '#block011') },
  { weight: 1, arbitrary: hostile },
);

const newName: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NEW_NAMES) },
  { weight: 1, arbitrary: hostile },
  { weight: 1, arbitrary: fc.constantFrom('#bad', '1abc', 'n'.repeat(32), 'a.b-c_d', '') },
);

const jobId: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('j0', 'j1', 'j2') },
  { weight: 1, arbitrary: hostile },
  { weight: 1, arbitrary: fc.constantFrom('#j', '', 'n0') },
);
const someJob: fc.Arbitrary<Value> = fc.oneof({ weight: 6, arbitrary: jobRef }, { weight: 2, arbitrary: jobId });

const filename = fc.constantFrom(...FILENAMES);

/**
 * Integers a client may send: sensible ones, the edges of every range, and numbers as the QMP
 * wire gives them (exact 64-bit integers as bigint, doubles as QFloat; see src/util/qobject.ts).
 */
const integer: fc.Arbitrary<number | bigint | QFloat> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 512, 1 << 16, 1 << 20, 1 << 21, 1 << 30) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 1 << 22 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 64, 1e300, Infinity, 0.5),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<bigint | QFloat>(
      2n ** 63n - 1n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 2n ** 63n - 2n ** 30n + 1n,
      new QFloat(1), new QFloat(1e3), new QFloat(1.5), new QFloat(2 ** 64),
    ),
  },
);
const speed: fc.Arbitrary<number | bigint | QFloat> = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 1 << 20) }, { weight: 1, arbitrary: integer });

/** Any JSON-ish value: what a member of the wrong type may be. */
const junk: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom<Value>(null, true, false, 0, -1, 1e300, '', 'x', '__proto__', [], {}, [1, 'a'], { a: 1 }),
  hostile,
  integer,
);

/** A member given with odds `odds` to 1 against leaving it out. */
function optional<T>(arb: fc.Arbitrary<T>, odds = 1): fc.Arbitrary<T | typeof OMIT> {
  return fc.oneof({ weight: 10, arbitrary: fc.constant(OMIT) }, { weight: Math.round(odds * 10), arbitrary: arb });
}

/** A record without its omitted members. */
function record(members: Record<string, fc.Arbitrary<Value>>): fc.Arbitrary<Record<string, Value>> {
  return fc.record(members).map((r) => {
    const out: Record<string, Value> = {};
    for (const [key, value] of Object.entries(r)) if (value !== OMIT) out[key] = value;
    return out;
  });
}

// ---------------------------------------------------------------- hostile changes

/** Breaks an arguments object the way a careless client would. */
const spoil: fc.Arbitrary<(args: Record<string, Value>) => Record<string, Value>> = fc.oneof(
  // a member left out
  fc.nat().map((i) => (args: Record<string, Value>) => {
    const keys = Object.keys(args);
    if (!keys.length) return args;
    const { [keys[i % keys.length]!]: _gone, ...rest } = args;
    return rest;
  }),
  // a member of the wrong type
  fc.tuple(fc.nat(), junk).map(([i, value]) => (args: Record<string, Value>) => {
    const keys = Object.keys(args);
    return keys.length ? { ...args, [keys[i % keys.length]!]: value } : args;
  }),
  // an extra member, possibly named after Object.prototype
  fc.tuple(fc.constantFrom('pad', 'extra', ...HOSTILE_NAMES), junk).map(([key, value]) => (args: Record<string, Value>) => {
    const out = { ...args };
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
  }),
);

/** Arguments, now and then spoiled (about one command in eight). */
function args(members: fc.Arbitrary<Record<string, Value>>): fc.Arbitrary<Value> {
  return fc.oneof({ weight: 7, arbitrary: members }, { weight: 1, arbitrary: fc.tuple(members, spoil).map(([a, f]) => f(a)) });
}

const cmd = (execute: string, members?: fc.Arbitrary<Record<string, Value>>): fc.Arbitrary<Step> =>
  members ? args(members).map((a) => ({ execute, arguments: a })) : fc.constant({ execute });

// ---------------------------------------------------------------- blockdev options

const common = {
  'read-only': optional(fc.boolean()),
  'auto-read-only': optional(fc.boolean()),
  'force-share': optional(fc.boolean(), 0.3),
  'detect-zeroes': optional(fc.constantFrom('off', 'on', 'unmap'), 0.1),
  discard: optional(fc.constantFrom('ignore', 'unmap'), 0.1),
  cache: optional(record({ direct: optional(fc.boolean()), 'no-flush': optional(fc.boolean()) }), 0.1),
};

/** BlockdevOptions of a simulated driver; children by name or inline down to `depth`. */
function blockdevOptions(depth: number, named: 'required' | 'optional'): fc.Arbitrary<Record<string, Value>> {
  const nodeName = named === 'required' ? newName : optional(newName, 0.3);
  const child: fc.Arbitrary<Value> =
    depth <= 0 ? someNode : fc.oneof({ weight: 3, arbitrary: someNode }, { weight: 2, arbitrary: blockdevOptions(depth - 1, 'optional') });
  const backing: fc.Arbitrary<Value> = fc.oneof(
    { weight: 2, arbitrary: fc.constant(OMIT) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: someNode },
    { weight: depth > 0 ? 1 : 0, arbitrary: depth > 0 ? blockdevOptions(depth - 1, 'optional') : fc.constant(OMIT) },
  );
  const withDriver = (driver: string, members: Record<string, fc.Arbitrary<Value>>): fc.Arbitrary<Record<string, Value>> =>
    record({ driver: fc.constant(driver), 'node-name': nodeName, ...common, ...members });
  return fc.oneof(
    { weight: 4, arbitrary: withDriver('file', { filename, locking: optional(fc.constantFrom('on', 'off', 'auto'), 0.2) }) },
    { weight: 2, arbitrary: withDriver('null-co', { size: optional(integer, 0.5), 'read-zeroes': optional(fc.boolean(), 0.2) }) },
    { weight: 2, arbitrary: withDriver('raw', { file: child, offset: optional(integer, 0.2), size: optional(integer, 0.2) }) },
    { weight: 4, arbitrary: withDriver('qcow2', { file: child, backing, 'lazy-refcounts': optional(fc.boolean(), 0.2) }) },
    { weight: 1, arbitrary: withDriver('throttle', { file: child, 'throttle-group': fc.constantFrom('tg0', 'tg1', 'nosuch', ...HOSTILE_NAMES) }) },
    { weight: 1, arbitrary: withDriver('copy-on-read', { file: child, bottom: optional(someNode, 0.1) }) },
    { weight: 1, arbitrary: withDriver('nbd', {}) },
    { weight: 1, arbitrary: withDriver('commit_top', { file: child }) },
  );
}

/** A file node and a qcow2 (or raw) over it, the common case, as one inline add. */
const imageAdd: fc.Arbitrary<Step> = fc
  .record({
    name: newName,
    filename,
    format: fc.constantFrom('qcow2', 'qcow2', 'raw'),
    backing: fc.oneof(fc.constant(OMIT), fc.constant(null), someNode),
    ro: optional(fc.boolean()),
    aro: optional(fc.boolean()),
  })
  .map(({ name, filename: path, format, backing, ro, aro }) => {
    const a: Record<string, Value> = { driver: format, 'node-name': name, file: { driver: 'file', filename: path } };
    if (format === 'qcow2' && backing !== OMIT) a['backing'] = backing;
    if (ro !== OMIT) a['read-only'] = ro;
    if (aro !== OMIT) a['auto-read-only'] = aro;
    return { execute: 'blockdev-add', arguments: a };
  });

/**
 * blockdev-reopen: of existing nodes (by reference) with options changed, added and left out.
 * Half of the time the options are the node's own driver with only flags changed; else anything.
 */
const ownOptions: fc.Arbitrary<Value> = fc
  .record({
    node: fc.nat(31),
    byName: fc.boolean(),
    readOnly: optional(fc.boolean()),
    autoReadOnly: optional(fc.boolean(), 0.5),
    drop: fc.option(fc.nat(), { freq: 4, nil: null }),
    backing: optional(fc.oneof(fc.constant(null), someNode), 0.2),
  })
  .map(({ node, ...change }): Ref => ({ [REOPEN]: { node, change } }));

const reopenOptions: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: ownOptions },
  { weight: 1, arbitrary: record({
    'node-name': someNode,
    driver: fc.constantFrom('qcow2', 'file', 'raw', 'null-co', 'throttle', 'copy-on-read'),
    file: optional(someNode, 0.5),
    backing: optional(fc.oneof(fc.constant(null), someNode), 0.7),
    filename: optional(filename, 0.4),
    'read-only': optional(fc.boolean()),
    'auto-read-only': optional(fc.boolean()),
    'force-share': optional(fc.boolean(), 0.2),
    'throttle-group': optional(fc.constantFrom('tg0', 'tg1', 'nosuch'), 0.2),
  }) },
  { weight: 1, arbitrary: blockdevOptions(1, 'optional').chain((options) => someNode.map((name) => ({ ...options, 'node-name': name }))) },
);

const reopen: fc.Arbitrary<Step> = cmd(
  'blockdev-reopen',
  fc.array(reopenOptions, { minLength: 0, maxLength: 3 }).map((options) => ({ options })),
);

// ---------------------------------------------------------------- jobs

const jobCommon = {
  'job-id': optional(jobId, 4),
  speed: optional(speed),
  'auto-finalize': optional(fc.boolean()),
  'auto-dismiss': optional(fc.boolean()),
  'filter-node-name': optional(newName, 0.2),
};
const sync = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('full', 'top', 'none') }, { weight: 1, arbitrary: fc.constantFrom('incremental', 'bitmap') });

/** A root node and nodes down its chain (what block jobs are given), or anything. */
const chain: fc.Arbitrary<{ top: Value; below: (depth: number) => Value }> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(31).map((index) => ({ top: { [NODE]: { index, root: true, down: 0 } } as Ref, below: (down: number): Value => ({ [NODE]: { index, root: true, down } }) as Ref })) },
  { weight: 1, arbitrary: fc.tuple(someNode, someNode).map(([top, other]) => ({ top, below: (): Value => other })) },
);
const depth = fc.integer({ min: 1, max: 2 });

const jobStarts: fc.Arbitrary<Step>[] = [
  fc.tuple(chain, depth, depth).chain(([c, base, top]) =>
    cmd('block-commit', record({ device: fc.constant(c.top), 'base-node': optional(fc.constant(c.below(base)), 3), 'top-node': optional(fc.constant(c.below(top - 1)), 0.5), 'backing-file': optional(fc.constant('x'), 0.1), ...jobCommon })),
  ),
  fc.tuple(chain, depth).chain(([c, base]) =>
    cmd('block-stream', record({ device: fc.constant(c.top), 'base-node': optional(fc.constant(c.below(base))), base: optional(filename, 0.1), ...jobCommon })),
  ),
  fc.tuple(chain, someNode).chain(([c, target]) => cmd('blockdev-mirror', record({ device: fc.constant(c.top), target: fc.constant(target), sync, replaces: optional(someNode, 0.2), ...jobCommon }))),
  fc.tuple(chain, someNode).chain(([c, target]) => cmd('blockdev-backup', record({ device: fc.constant(c.top), target: fc.constant(target), sync, bitmap: optional(fc.constant('b0'), 0.1), ...jobCommon }))),
  cmd(
    'drive-mirror',
    record({ device: someNode, target: fc.constantFrom('/v/new.qcow2', '/v/new.img', '/v/disk.img', '/v/missing.img'), sync, format: optional(fc.constantFrom('qcow2', 'raw', 'vmdk')), mode: optional(fc.constantFrom('existing', 'absolute-paths')), 'node-name': optional(newName, 0.3), ...jobCommon }),
  ),
  cmd(
    'drive-backup',
    record({ device: someNode, target: fc.constantFrom('/v/new.qcow2', '/v/new.img', '/v/disk.img', '/v/missing.img'), sync, format: optional(fc.constantFrom('qcow2', 'raw')), mode: optional(fc.constantFrom('existing', 'absolute-paths')), ...jobCommon }),
  ),
];

const verbs: fc.Arbitrary<Step>[] = [
  cmd('block-job-set-speed', record({ device: someJob, speed })),
  cmd('block-job-cancel', record({ device: someJob, force: optional(fc.boolean()) })),
  ...['block-job-complete', 'block-job-pause', 'block-job-resume'].map((name) => cmd(name, record({ device: someJob }))),
  ...['block-job-finalize', 'block-job-dismiss', 'job-pause', 'job-resume', 'job-cancel', 'job-complete', 'job-finalize', 'job-dismiss'].map((name) =>
    cmd(name, record({ id: someJob })),
  ),
];

// ---------------------------------------------------------------- the rest

const nbdStart = cmd('nbd-server-start', fc.constant({ addr: { type: 'unix', data: { path: '/tmp/permgraph-random-nbd.sock' } } }));
const exportAdd = cmd(
  'block-export-add',
  record({ type: fc.constantFrom('nbd', 'nbd', 'fuse'), id: fc.oneof(fc.constantFrom('e0', 'e1'), hostile), 'node-name': someNode, writable: optional(fc.boolean()), name: optional(fc.oneof(fc.constantFrom('x', 'y'), hostile), 0.3) }),
);
const exportDel = cmd('block-export-del', record({ id: fc.oneof(fc.constantFrom('e0', 'e1', 'nosuch'), hostile), mode: optional(fc.constantFrom('safe', 'hard'), 0.2) }));
const objectId = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('tg0', 'tg1') }, { weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: fc.constantFrom('#x', '') });
const objectAdd = cmd('object-add', record({ 'qom-type': fc.constantFrom('throttle-group', 'throttle-group', 'iothread'), id: objectId, 'x-iops-total': optional(integer, 0.3) }));
const objectDel = cmd('object-del', record({ id: objectId }));
// apart from node names: the invariant names-unique holds device ids and node names apart
const deviceId = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('d0', 'd1') }, { weight: 1, arbitrary: fc.constantFrom('__proto__', '__defineGetter__') });
const deviceAdd = cmd(
  'device_add',
  record({ driver: fc.oneof(fc.constantFrom('virtio-blk', 'scsi-hd', 'scsi-cd', 'ide-hd', 'nosuch-dev'), hostile), id: optional(deviceId, 4), drive: optional(someNode, 8), 'share-rw': optional(fc.boolean()) }),
);
const deviceDel = cmd('device_del', record({ id: deviceId }));
const resize = cmd('block_resize', record({ 'node-name': optional(someNode, 6), device: optional(someNode, 0.3), size: integer }));
const rootNode: fc.Arbitrary<Value> = fc.oneof({ weight: 3, arbitrary: fc.nat(31).map((index): Ref => ({ [NODE]: { index, root: true, down: 0 } })) }, { weight: 1, arbitrary: someNode });
const snapshot = cmd('blockdev-snapshot', record({ node: rootNode, overlay: rootNode }));
const del = cmd('blockdev-del', record({ 'node-name': someNode }));
const queries: fc.Arbitrary<Step> = fc.constantFrom<Step>(
  { execute: 'query-named-block-nodes' },
  { execute: 'query-named-block-nodes', arguments: { flat: true } },
  { execute: 'query-block-exports' },
  { execute: 'x-debug-query-block-graph' },
  { execute: 'query-jobs' },
  { execute: 'query-block-jobs' },
  { execute: 'query-version' },
  { execute: 'x-permgraph-query-open-files' },
  { execute: 'qmp_capabilities' },
  { execute: 'nbd-server-stop' },
  { execute: 'quit' },
);
/** Commands that do not exist, some named after Object.prototype. */
const unknown: fc.Arbitrary<Step> = fc.constantFrom<Step>(
  ...HOSTILE_NAMES.map((execute) => ({ execute })),
  { execute: 'nosuch' },
  { execute: 'blockdev-add ' },
  { execute: '__defineGetter__' },
  { execute: 'toLocaleString', arguments: {} },
);
/** Inputs that are no command at all: arguments of the wrong kind. */
const malformed: fc.Arbitrary<Step> = fc.constantFrom<Step>(
  { execute: 'query-version', arguments: [] },
  { execute: 'blockdev-del', arguments: 'n0' },
  { execute: 'blockdev-del', arguments: null },
  { execute: 'query-jobs', arguments: 7 },
);

/** Well-formed starts the random steps build on: chains opened from headers and by reference. */
const add = (a: Record<string, Value>): Step => ({ execute: 'blockdev-add', arguments: a });
const PREAMBLES: readonly (readonly Step[])[] = [
  // top <- mid <- base from the headers, the backing nodes named #block…
  [add({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: '/v/top.qcow2' } })],
  [add({ driver: 'qcow2', 'node-name': 'top', 'auto-read-only': true, file: { driver: 'file', filename: '/v/top.qcow2', 'auto-read-only': true } })],
  [add({ driver: 'qcow2', 'node-name': 'big', 'read-only': true, file: { driver: 'file', filename: '/v/big.qcow2' } })],
  // libvirt's way: every node by name, backing by reference
  [
    add({ driver: 'file', 'node-name': 'base-file', filename: '/v/base.qcow2', 'auto-read-only': true }),
    add({ driver: 'qcow2', 'node-name': 'base', file: 'base-file', backing: null, 'read-only': true }),
    add({ driver: 'file', 'node-name': 'mid-file', filename: '/v/mid.qcow2', 'auto-read-only': true }),
    add({ driver: 'qcow2', 'node-name': 'mid', file: 'mid-file', backing: 'base', 'auto-read-only': true }),
  ],
  [
    add({ driver: 'file', 'node-name': 'disk-file', filename: '/v/disk.img' }),
    add({ driver: 'raw', 'node-name': 'disk', file: 'disk-file' }),
  ],
  [add({ driver: 'null-co', 'node-name': 'null0' }), add({ driver: 'null-co', 'node-name': 'null1', size: 1 << 20 })],
  [{ execute: 'object-add', arguments: { 'qom-type': 'throttle-group', id: 'tg0' } }],
  [{ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/permgraph-random-nbd.sock' } } } }],
  // jobs on the chains above, slow (running until cancelled) or done at the next advance
  [{ execute: 'block-stream', arguments: { device: 'top', 'job-id': 'j0', speed: 1, 'auto-dismiss': false } }],
  [{ execute: 'block-commit', arguments: { device: 'top', 'job-id': 'j1', 'auto-finalize': false, 'auto-dismiss': false } }],
  [{ execute: 'block-commit', arguments: { device: 'mid', 'base-node': 'base', 'job-id': 'j1', speed: 1 } }],
  [
    add({ driver: 'qcow2', 'node-name': 'copy', file: { driver: 'file', filename: '/v/new.qcow2' }, backing: null }),
    { execute: 'blockdev-mirror', arguments: { device: 'top', target: 'copy', sync: 'full', 'job-id': 'j2', 'auto-dismiss': false } },
  ],
  [{ execute: 'drive-backup', arguments: { device: 'disk', target: '/v/new.img', sync: 'full', 'job-id': 'j2', speed: 1 } }],
];

/** Some of the preambles, in order. */
const preambleArb: fc.Arbitrary<Step[]> = fc
  .tuple(fc.nat(5), fc.subarray([...PREAMBLES]))
  .map(([first, groups]) => [...new Set([PREAMBLES[first]!, ...groups])].flat());

/** One random step. */
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: imageAdd },
  { weight: 8, arbitrary: cmd('blockdev-add', blockdevOptions(2, 'required')) },
  { weight: 8, arbitrary: reopen },
  { weight: 4, arbitrary: del },
  { weight: 2, arbitrary: nbdStart },
  { weight: 4, arbitrary: exportAdd },
  { weight: 2, arbitrary: exportDel },
  { weight: 2, arbitrary: objectAdd },
  { weight: 1, arbitrary: objectDel },
  { weight: 3, arbitrary: deviceAdd },
  { weight: 2, arbitrary: deviceDel },
  { weight: 2, arbitrary: resize },
  { weight: 3, arbitrary: snapshot },
  { weight: 10, arbitrary: fc.oneof(...jobStarts) },
  { weight: 10, arbitrary: fc.oneof(...verbs) },
  { weight: 3, arbitrary: fc.constantFrom<Step>({ advance: 0 }, { advance: 1 }, { advance: 1000 }) },
  { weight: 2, arbitrary: queries },
  { weight: 1, arbitrary: unknown },
  { weight: 1, arbitrary: malformed },
);

/** A sequence: some well-formed preambles, then random steps. */
export const sequenceArb = (maxLength: number): fc.Arbitrary<Step[]> =>
  fc.tuple(preambleArb, fc.array(stepArb, { minLength: 1, maxLength })).map(([start, steps]) => [...start, ...steps]);
