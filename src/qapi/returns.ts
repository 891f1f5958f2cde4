/**
 * What each command of qemu-storage-daemon returns, as a QAPI type, by command name: every
 * command the daemons have (7.2 and 10.0), whether permgraph answers it yet or not (and
 * permgraph's own x-permgraph-query-open-files), so that
 * query-qmp-schema describes a command as soon as the registry has it. `null`: it returns the
 * empty object. Also their features (qapi/*.json `features`). Sources: qapi/block-core.json,
 * qapi/job.json, qapi/block-export.json, qapi/char.json, qapi/control.json, qapi/introspect.json,
 * qapi/qom.json.
 */
import { blockDeviceInfo, blockInfo, blockStats, ioStatus, snapshotInfo } from './block-info.js';
import { jobStatus, jobType } from './events.js';
import { any, bool, enumOf, featured, int, listOf, opt, req, str, struct, type QapiType } from './schema.js';

/** A return type that is not the same in every release: the type from each release on. */
export interface ByRelease {
  readonly byRelease: readonly (readonly [release: number, type: QapiType])[];
}

export type Returns = QapiType | ByRelease | null;

/** JobInfo (qapi/job.json). */
const jobInfo = struct(req('id', str), req('type', jobType), req('status', jobStatus), req('current-progress', int), req('total-progress', int), opt('error', str));

const blockJobCommon = [
  req('device', str), req('len', int), req('offset', int), req('busy', bool), req('paused', bool), req('speed', int),
  req('io-status', ioStatus), req('ready', bool), req('status', jobStatus), req('auto-finalize', bool), req('auto-dismiss', bool), opt('error', str),
];

/** BlockJobInfo: a struct whose type is a string in 7.2; a union on the JobType in 10.0 (mirror: actively-synced). */
const blockJobInfo: ByRelease = {
  byRelease: [
    [0, struct(req('type', str), ...blockJobCommon)],
    [1000, { kind: 'union', discriminator: 'type', base: [req('type', jobType), ...blockJobCommon], variants: { mirror: [req('actively-synced', bool)] } }],
  ],
};

const perm = enumOf('BlockPermission', ['consistent-read', 'write', 'write-unchanged', 'resize']);
/** XDbgBlockGraph. */
const blockGraph = struct(
  req('nodes', listOf(struct(req('id', int), req('type', enumOf('XDbgBlockGraphNodeType', ['block-backend', 'block-job', 'block-driver'])), req('name', str)))),
  req('edges', listOf(struct(req('parent', int), req('child', int), req('name', str), req('perm', listOf(perm)), req('shared-perm', listOf(perm))))),
);

const blockExportInfo = struct(
  req('id', str), req('type', enumOf('BlockExportType', ['nbd', 'vhost-user-blk', 'fuse', 'vduse-blk'])), req('node-name', str), req('shutting-down', bool),
);

/** SchemaInfo (qapi/introspect.json): what query-qmp-schema answers. */
const schemaInfo: QapiType = {
  kind: 'union',
  discriminator: 'meta-type',
  base: [
    req('name', str), req('meta-type', enumOf('SchemaMetaType', ['builtin', 'enum', 'array', 'object', 'alternate', 'command', 'event'])),
    opt('features', listOf(str)),
  ],
  variants: {
    builtin: [req('json-type', enumOf('JSONType', ['string', 'number', 'int', 'boolean', 'null', 'object', 'array', 'value']))],
    enum: [req('members', listOf(struct(req('name', str), opt('features', listOf(str))))), featured(req('values', listOf(str)), 'deprecated')],
    array: [req('element-type', str)],
    object: [
      req('members', listOf(struct(req('name', str), req('type', str), opt('default', any), opt('features', listOf(str))))),
      opt('tag', str), opt('variants', listOf(struct(req('case', str), req('type', str)))),
    ],
    alternate: [req('members', listOf(struct(req('type', str))))],
    command: [req('arg-type', str), req('ret-type', str), opt('allow-oob', bool)],
    event: [req('arg-type', str)],
  },
};

/** ObjectPropertyInfo (qom-list, qom-list-properties). */
const propertyInfo = struct(req('name', str), req('type', str), opt('description', str), opt('default-value', any));

export const RETURNS: Readonly<Record<string, Returns>> = {
  'query-jobs': listOf(jobInfo),
  'query-block': listOf(blockInfo),
  'query-blockstats': listOf(blockStats),
  'query-block-jobs': { byRelease: blockJobInfo.byRelease.map(([release, type]) => [release, listOf(type)] as const) },
  'query-named-block-nodes': listOf(blockDeviceInfo),
  'x-debug-query-block-graph': blockGraph,
  'x-debug-block-dirty-bitmap-sha256': struct(req('sha256', str)),
  'blockdev-snapshot-delete-internal-sync': snapshotInfo,
  'query-block-exports': listOf(blockExportInfo),
  'query-chardev': listOf(struct(req('label', str), req('filename', str), req('frontend-open', bool))),
  'query-chardev-backends': listOf(struct(req('name', str))),
  'ringbuf-read': str,
  'chardev-add': struct(opt('pty', str)),
  'chardev-change': struct(opt('pty', str)),
  'query-version': struct(req('qemu', struct(req('major', int), req('minor', int), req('micro', int))), req('package', str)),
  'query-commands': listOf(struct(req('name', str))),
  'query-qmp-schema': listOf(schemaInfo),
  'qom-list': listOf(propertyInfo),
  'qom-get': any,
  'qom-list-types': listOf(struct(req('name', str), opt('abstract', bool), opt('parent', str))),
  'qom-list-properties': listOf(propertyInfo),
  // permgraph's own (docs/qmp.md)
  'x-permgraph-query-open-files': listOf(struct(req('path', str), req('mode', str), req('locks', listOf(str)))),
  ...Object.fromEntries([
    'block_resize', 'blockdev-snapshot-sync', 'blockdev-snapshot', 'change-backing-file', 'block-commit', 'drive-backup',
    'blockdev-backup', 'drive-mirror', 'block-dirty-bitmap-add', 'block-dirty-bitmap-remove', 'block-dirty-bitmap-clear',
    'block-dirty-bitmap-enable', 'block-dirty-bitmap-disable', 'block-dirty-bitmap-merge', 'blockdev-mirror', 'block-stream',
    'block-job-set-speed', 'block-job-cancel', 'block-job-pause', 'block-job-resume', 'block-job-complete', 'block-job-dismiss',
    'block-job-finalize', 'block-job-change', 'blockdev-add', 'blockdev-reopen', 'blockdev-del', 'blockdev-set-active',
    'blockdev-create', 'x-blockdev-amend', 'block-set-write-threshold', 'x-blockdev-change', 'x-blockdev-set-iothread',
    'blockdev-snapshot-internal-sync', 'job-pause', 'job-resume', 'job-cancel', 'job-complete', 'job-dismiss', 'job-finalize',
    'nbd-server-start', 'nbd-server-add', 'nbd-server-remove', 'nbd-server-stop', 'block-export-add', 'block-export-del',
    'ringbuf-write', 'chardev-remove', 'chardev-send-break', 'qmp_capabilities', 'quit', 'qom-set', 'object-add', 'object-del',
    'transaction',
  ].map((name) => [name, null])),
};

/** The commands' own features. */
export const COMMAND_FEATURES: Readonly<Record<string, readonly string[]>> = {
  'blockdev-snapshot': ['allow-write-only-overlay'],
  'drive-backup': ['deprecated'],
  'x-debug-query-block-graph': ['unstable'],
  'x-debug-block-dirty-bitmap-sha256': ['unstable'],
  'x-blockdev-amend': ['unstable'],
  'x-blockdev-change': ['unstable'],
  'x-blockdev-set-iothread': ['unstable'],
  'nbd-server-add': ['deprecated'],
  'nbd-server-remove': ['deprecated'],
};

/** What `command` returns in `release`: a QAPI type, or undefined for the empty object. */
export function returnsOf(command: string, release: number): QapiType | undefined {
  const entry = Object.hasOwn(RETURNS, command) ? RETURNS[command] : undefined;
  if (!entry) return undefined;
  if (!('byRelease' in entry)) return entry;
  return entry.byRelease.filter(([from]) => from <= release).at(-1)?.[1];
}
