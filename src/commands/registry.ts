/** Every QMP command the simulator answers, by name. */
import { blockdevAdd, blockdevDel } from './blockdev.js';
import { xBlockdevChange } from './blockdev-change.js';
import { query, type Command } from './command.js';
import { JOB_COMMANDS } from './jobs.js';
import { IMAGE_JOB_COMMANDS } from './image-commands.js';
import { blockJobInfo, jobInfo } from './job-queries.js';
import { blockExportAdd, blockExportDel, nbdServerStart, nbdServerStop, queryBlockExports } from './exports.js';
import { objectAdd, objectDel } from './objects.js';
import { queryNamedBlockNodes, xDebugQueryBlockGraph, xPermgraphQueryOpenFiles } from './queries.js';
import { blockdevReopen } from './reopen.js';
import { blockdevSetActive } from './set-active.js';
import { blockResize } from './resize.js';
import { blockdevSnapshot } from './snapshot.js';
import { deviceAdd, deviceDel } from './devices.js';
import { qmpCapabilities, queryVersion, quit } from './session.js';
import { nameRecord, ownEntry } from '../util/records.js';
import { queryBlock, queryBlockstats } from './block-stats.js';
import { nbdServerAdd, nbdServerRemove } from './nbd-legacy.js';
import { blockSetWriteThreshold, changeBackingFileCommand, xBlockdevSetIothread } from './node-commands.js';
import { BITMAP_COMMANDS } from './bitmap-commands.js';
import { queryCommands, queryQmpSchema } from './introspection.js';
import { blockdevSnapshotSync } from './snapshot-sync.js';
import { blockdevSnapshotDeleteInternalSync, blockdevSnapshotInternalSync } from './internal-snapshots.js';
import { transactionCommand } from './transaction.js';
import { chardevAdd, chardevChange, chardevRemove, chardevSendBreak, queryChardev, queryChardevBackends } from './chardev.js';
import { ringbufRead, ringbufWrite } from './ringbuf.js';
import { qomGet, qomList, qomSet } from './qom.js';
import { qomListProperties, qomListTypes } from './qom-types.js';

/** No prototype: `constructor` or `__proto__` is no command (src/util/records.ts). */
export const COMMANDS: Readonly<Record<string, Command>> = nameRecord({
  'blockdev-add': blockdevAdd,
  'blockdev-del': blockdevDel,
  'blockdev-reopen': blockdevReopen,
  'blockdev-set-active': blockdevSetActive,
  block_resize: blockResize,
  'nbd-server-start': nbdServerStart,
  'nbd-server-stop': nbdServerStop,
  'block-export-add': blockExportAdd,
  'block-export-del': blockExportDel,
  'object-add': objectAdd,
  'object-del': objectDel,
  'query-named-block-nodes': queryNamedBlockNodes,
  'query-block-exports': queryBlockExports,
  'x-debug-query-block-graph': xDebugQueryBlockGraph,
  'blockdev-snapshot': blockdevSnapshot,
  device_add: deviceAdd,
  device_del: deviceDel,
  'query-version': queryVersion,
  quit,
  qmp_capabilities: qmpCapabilities,
  'query-jobs': query(undefined, jobInfo),
  'query-block-jobs': query(undefined, blockJobInfo),
  ...JOB_COMMANDS,
  ...IMAGE_JOB_COMMANDS,
  'x-permgraph-query-open-files': xPermgraphQueryOpenFiles,
  'block-set-write-threshold': blockSetWriteThreshold,
  'change-backing-file': changeBackingFileCommand,
  'x-blockdev-set-iothread': xBlockdevSetIothread,
  'query-block': queryBlock,
  'query-blockstats': queryBlockstats,
  'nbd-server-add': nbdServerAdd,
  'nbd-server-remove': nbdServerRemove,
  ...BITMAP_COMMANDS,
  'query-commands': queryCommands(() => COMMANDS),
  'query-qmp-schema': queryQmpSchema(() => COMMANDS),
  'x-blockdev-change': xBlockdevChange,
  'blockdev-snapshot-sync': blockdevSnapshotSync,
  'blockdev-snapshot-internal-sync': blockdevSnapshotInternalSync,
  'blockdev-snapshot-delete-internal-sync': blockdevSnapshotDeleteInternalSync,
  transaction: transactionCommand((name) => commandNamed(name)),
  'chardev-add': chardevAdd,
  'chardev-change': chardevChange,
  'chardev-remove': chardevRemove,
  'chardev-send-break': chardevSendBreak,
  'query-chardev': queryChardev,
  'query-chardev-backends': queryChardevBackends,
  'ringbuf-write': ringbufWrite,
  'ringbuf-read': ringbufRead,
  'qom-list': qomList,
  'qom-get': qomGet,
  'qom-set': qomSet,
  'qom-list-types': qomListTypes,
  'qom-list-properties': qomListProperties,
});

/** The command a client names, if the simulator has it. */
export const commandNamed = (name: string): Command | undefined => ownEntry(COMMANDS, name);
