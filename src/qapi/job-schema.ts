/**
 * QAPI arguments of the block job commands (qapi/block-core.json, qapi/job.json, QEMU 7.2; the
 * members QEMU 10.0 added are tagged `since(1000, …)`).
 */
import { bool, enumOf, featured, int, opt, req, since, size, str, struct, uint32, type Member, type QapiType } from './schema.js';

const onError = enumOf('BlockdevOnError', ['report', 'ignore', 'enospc', 'stop', 'auto']);
const syncMode = enumOf('MirrorSyncMode', ['top', 'full', 'none', 'incremental', 'bitmap']);
const jobCommon: Member[] = [opt('auto-finalize', bool), opt('auto-dismiss', bool)];

export const blockCommitArgs: QapiType = struct(
  opt('job-id', str), req('device', str), opt('base-node', str), featured(opt('base', str), 'deprecated'), opt('top-node', str),
  featured(opt('top', str), 'deprecated'), opt('backing-file', str), since(1000, opt('backing-mask-protocol', bool)), opt('speed', int), opt('on-error', onError),
  opt('filter-node-name', str), ...jobCommon,
);

export const blockStreamArgs: QapiType = struct(
  opt('job-id', str), req('device', str), opt('base', str), opt('base-node', str), opt('backing-file', str),
  since(1000, opt('backing-mask-protocol', bool)), opt('bottom', str), opt('speed', int), opt('on-error', onError), opt('filter-node-name', str), ...jobCommon,
);

const mirrorSync: Member[] = [opt('replaces', str), req('sync', syncMode)];
const mirrorCommon: Member[] = [opt('speed', int), opt('granularity', uint32), opt('buf-size', int), opt('on-source-error', onError), opt('on-target-error', onError)];

export const blockdevMirrorArgs: QapiType = struct(
  opt('job-id', str), req('device', str), req('target', str), ...mirrorSync, ...mirrorCommon,
  opt('filter-node-name', str), opt('copy-mode', enumOf('MirrorCopyMode', ['background', 'write-blocking'])), ...jobCommon,
);

const newImageMode = enumOf('NewImageMode', ['existing', 'absolute-paths']);

export const driveMirrorArgs: QapiType = struct(
  opt('job-id', str), req('device', str), req('target', str), opt('format', str), opt('node-name', str),
  ...mirrorSync, opt('mode', newImageMode), ...mirrorCommon, opt('unmap', bool),
  opt('copy-mode', enumOf('MirrorCopyMode', ['background', 'write-blocking'])), ...jobCommon,
);

const backupCommon: Member[] = [
  opt('job-id', str), req('device', str), req('sync', syncMode), opt('speed', int), opt('bitmap', str),
  opt('bitmap-mode', enumOf('BitmapSyncMode', ['on-success', 'never', 'always'])), opt('compress', bool),
  opt('on-source-error', onError), opt('on-target-error', onError), ...jobCommon,
  opt('filter-node-name', str), since(1000, opt('discard-source', bool)),
  featured(opt('x-perf', struct(opt('use-copy-range', bool), opt('max-workers', int), opt('max-chunk', int), since(1000, opt('min-cluster-size', size)))), 'unstable'),
];

export const blockdevBackupArgs: QapiType = struct(...backupCommon, req('target', str));
export const driveBackupArgs: QapiType = struct(...backupCommon, req('target', str), opt('format', str), opt('mode', newImageMode));

export const deviceArg: QapiType = struct(req('device', str));
export const idArg: QapiType = struct(req('id', str));
export const setSpeedArgs: QapiType = struct(req('device', str), req('speed', int));
const jobType = enumOf('JobType', ['commit', 'stream', 'mirror', 'backup', 'create', 'amend', 'snapshot-load', 'snapshot-save', 'snapshot-delete']);
/** block-job-change (QEMU 8.2): BlockJobChangeOptions, a union on the job type the caller names. */
export const changeArgs: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [req('id', str), req('type', jobType)],
  variants: { mirror: [req('copy-mode', enumOf('MirrorCopyMode', ['background', 'write-blocking']))] },
};
export const cancelArgs: QapiType = struct(req('device', str), opt('force', bool));

