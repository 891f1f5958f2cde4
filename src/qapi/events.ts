/**
 * The QMP events qemu-storage-daemon's schema declares, with their data as QAPI types
 * (qapi/job.json, qapi/block-core.json, qapi/block-export.json, qapi/char.json), in the order
 * QEMU 7.2's schema lists them. What permgraph emits of them is built in src/core and src/jobs;
 * these types are what query-qmp-schema tells of them.
 */
import { bool, enumOf, int, opt, req, since, str, struct, type QapiType } from './schema.js';

export interface EventDef {
  readonly name: string;
  readonly data: QapiType;
}

/** JobType (qapi/job.json). */
export const jobType = enumOf('JobType', ['commit', 'stream', 'mirror', 'backup', 'create', 'amend', 'snapshot-load', 'snapshot-save', 'snapshot-delete']);
/** JobStatus (qapi/job.json). */
export const jobStatus = enumOf('JobStatus', ['undefined', 'created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending', 'aborting', 'concluded', 'null']);

const ioOperation = enumOf('IoOperationType', ['read', 'write']);
const errorAction = enumOf('BlockErrorAction', ['ignore', 'report', 'stop']);
const jobProgress = [req('type', jobType), req('device', str), req('len', int), req('offset', int), req('speed', int)];

export const EVENTS: readonly EventDef[] = [
  {
    name: 'BLOCK_IMAGE_CORRUPTED',
    data: struct(req('device', str), opt('node-name', str), req('msg', str), opt('offset', int), opt('size', int), req('fatal', bool)),
  },
  {
    name: 'BLOCK_IO_ERROR',
    data: struct(
      since(1000, req('qom-path', str)), req('device', str), opt('node-name', str), req('operation', ioOperation),
      req('action', errorAction), opt('nospace', bool), req('reason', str),
    ),
  },
  { name: 'BLOCK_JOB_COMPLETED', data: struct(...jobProgress, opt('error', str)) },
  { name: 'BLOCK_JOB_CANCELLED', data: struct(...jobProgress) },
  { name: 'BLOCK_JOB_ERROR', data: struct(req('device', str), req('operation', ioOperation), req('action', errorAction)) },
  { name: 'BLOCK_JOB_READY', data: struct(...jobProgress) },
  { name: 'BLOCK_JOB_PENDING', data: struct(req('type', jobType), req('id', str)) },
  { name: 'BLOCK_WRITE_THRESHOLD', data: struct(req('node-name', str), req('amount-exceeded', int), req('write-threshold', int)) },
  { name: 'QUORUM_FAILURE', data: struct(req('reference', str), req('sector-num', int), req('sectors-count', int)) },
  {
    name: 'QUORUM_REPORT_BAD',
    data: struct(
      req('type', enumOf('QuorumOpType', ['read', 'write', 'flush'])), opt('error', str), req('node-name', str),
      req('sector-num', int), req('sectors-count', int),
    ),
  },
  { name: 'JOB_STATUS_CHANGE', data: struct(req('id', str), req('status', jobStatus)) },
  { name: 'BLOCK_EXPORT_DELETED', data: struct(req('id', str)) },
  { name: 'VSERPORT_CHANGE', data: struct(req('id', str), req('open', bool)) },
];
