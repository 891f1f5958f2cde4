/**
 * Every error text QEMU 7.2 gives that the simulator reproduces, in one table, with the QEMU
 * function that produces it. Texts of permgraph's own, not QEMU's, are the last group.
 */
import { bitmapMessages } from './bitmap-messages.js';
import { imageJobMessages } from './image-job-messages.js';
import { driverMsg } from './driver-messages.js';
import { chardevMessages } from './chardev-messages.js';
import { snapshotMessages } from './snapshot-messages.js';
import { imgCreateMessages } from './img-create-messages.js';
import { formatMessages } from './format-messages.js';
import { nodeExportMessages } from './node-export-messages.js';
import { qomTypeMessages } from './qom-type-messages.js';
import { networkMessages, vvfatMessages } from './network-messages.js';
import { mirrorMessages } from './mirror-messages.js';

export const msg = {
  // the texts of each topic's own file
  ...bitmapMessages, ...imageJobMessages, ...formatMessages, ...driverMsg, ...chardevMessages, ...snapshotMessages, ...imgCreateMessages, ...qomTypeMessages, ...nodeExportMessages,
  ...networkMessages, ...vvfatMessages, ...mirrorMessages,
  // block.c: bdrv_a_allow_b()
  permissionConflict: (node: string, perms: string, requiredBy: string, requiredEdge: string, unsharedBy: string, unsharedEdge: string) =>
    `Permission conflict on node '${node}': permissions '${perms}' are both required by ${requiredBy} (uses node '${node}' as '${requiredEdge}' child) and unshared by ${unsharedBy} (uses node '${node}' as '${unsharedEdge}' child).`,
  // block.c: bdrv_node_refresh_perm()
  nodeReadOnly: () => 'Block node is read-only',
  readOnlyWithWriters: (node: string) => `Read-only block node '${node}' cannot support read-write users`,
  // util/osdep.c via file-posix.c: raw_open_common(), raw_reconfigure_getfd()
  couldNotOpen: (filename: string, errno: string) => `Could not open '${filename}': ${errno}`,
  // util/keyval.c: keyval_parse_one(), keyval_parse_put()
  keyvalExpectedEquals: (param: string) => `Expected '=' after parameter '${param}'`,
  keyvalInvalidParameter: (key: string) => `Invalid parameter '${key}'`,
  keyvalInconsistent: (prefix: string) => `Parameters '${prefix}.*' used inconsistently`,
  // qapi/qobject-input-visitor.c in keyval mode
  keyvalExpectsBool: (name: string) => `Parameter '${name}' expects 'on' or 'off'`,
  keyvalExpectsInteger: (name: string) => `Parameter '${name}' expects integer`,
  keyvalExpectsSize: (name: string) => `Parameter '${name}' expects size`,
  keyvalExpectsNumber: (name: string) => `Parameter '${name}' expects number`,
  // block.c: bdrv_open_driver(), when the driver's open set no error of its own
  couldNotOpenImage: (errno: string) => `Could not open image: ${errno}`,
  // nbd/client-connection.c: nbd_connect() via socket_connect() (the address as socket_address_to_string() gives it)
  nbdConnectFailed: (address: string, errno: string) => `Failed to connect to '${address}': ${errno}`,
  // util/qemu-sockets.c: inet_parse_connect_saddr(), when getaddrinfo() fails
  addressResolutionFailed: (host: string, port: string, why: string) => `address resolution failed for ${host}:${port}: ${why}`,
  // monitor/qmp stubs (stubs/monitor-fd.c) of qemu-storage-daemon, via socket_address_parse_named_fd()
  fdPassingUnsupported: () => 'only QEMU supports file descriptor passing',
  // nbd/client.c: nbd_opt_info_or_go() on NBD_REP_ERR_UNKNOWN
  nbdExportNotAvailable: () => 'Requested export not available',
  // block/nbd.c: nbd_handle_updated_info(), the text bdrv_apply_auto_read_only() is given
  nbdExportReadOnly: () => 'NBD export is read-only',
  // block.c: bdrv_reopen_prepare(), when bdrv_flush() fails
  flushFailed: (errno: string) => `Error flushing drive: ${errno}`,
  // block/nbd.c: nbd_client_reopen_prepare()
  nbdReopenReadWrite: () => "Can't reopen read-only NBD mount as read/write",
  // block/nbd.c: nbd_co_truncate()
  nbdCannotGrow: () => 'Cannot grow NBD nodes',
  // block/nbd.c: nbd_process_options()
  nbdExportNameTooLong: () => 'export name too long to send to server',
  nbdBitmapNameTooLong: () => 'x-dirty-bitmap query too long to send to server',
  // block/nbd.c: nbd_get_tls_creds()
  noTlsCreds: (id: string) => `No TLS credentials with id '${id}'`,
  notTlsCreds: (id: string) => `Object with id '${id}' is not TLS credentials`,
  notRegularFile: (filename: string) => `'file' driver requires '${filename}' to be a regular file`,
  // file-posix.c: raw_check_lock_bytes()
  lockFailed: (perm: string) => `Failed to get "${perm}" lock`,
  sharedLockFailed: (perm: string) => `Failed to get shared "${perm}" lock`,
  // util/qemu-option.c: parse_option_size(), as raw and null-co read their options
  optionNotASize: (name: string) => `Parameter '${name}' expects a non-negative number below 2^64`,
  optionOutOfRange: (name: string, value: string) => `Value '${value}' is out of range for parameter '${name}'`,
  // block.c: bdrv_open_backing_file(), once for each backing level the failed open is below
  backingOpenFailed: (reason: string, levels: number) => `${'Could not open backing file: '.repeat(levels)}${reason}`,
  // block.c: bdrv_open_common()
  forceShareReadWrite: () => 'force-share=on can only be used with read-only images',
  // block.c: bdrv_parse_detect_zeroes(), from bdrv_open_common()
  detectZeroesUnmapWithoutDiscard: () => 'setting detect-zeroes to unmap is not allowed without setting discard operation to unmap',
  // block.c: bdrv_assign_node_name()
  invalidNodeName: (name: string) => `Invalid node-name: '${name}'`,
  duplicateNode: (name: string) => `Duplicate nodes with node-name='${name}'`,
  nodeNameTooLong: () => 'Node name too long',
  nodeNameIsDeviceId: (name: string) => `node-name=${name} is conflicting with a device id`,
  // blockdev.c: qmp_blockdev_add()
  rootNeedsNodeName: () => "'node-name' must be specified for the root node",
  // block.c: bdrv_lookup_bs()
  cannotFindDevice: (device: string, node: string) => `Cannot find device='${device}' nor node-name='${node}'`,
  // blockdev.c: qmp_blockdev_del(), qmp_blockdev_reopen(); block.c: bdrv_find_node users
  failedToFindNode: (node: string) => `Failed to find node with node-name='${node}'`,
  nodeInUse: (node: string) => `Node ${node} is in use`,
  notOwnedByMonitor: (node: string) => `Node ${node} is not owned by the monitor`,
  blockDeviceInUse: (node: string) => `Block device ${node} is in use`,
  // block.c: bdrv_attach_child_noperm()
  wouldCreateCycle: (child: string, edge: string, parent: string) =>
    `Making '${child}' a ${edge} child of '${parent}' would create a cycle`,
  inactiveChildOfActive: (child: string, edge: string, parent: string) => `Inactive '${child}' can't be a ${edge} child of active '${parent}'`,
  // block.c: bdrv_attach_child_common() (bdrv_perm_names() of the perms asked)
  permUnavailableOnInactive: (perms: string) => `Permission '${perms}' unavailable on inactive node`,
  // block.c: bdrv_inactivate(); blockdev.c: qmp_blockdev_set_active() (strerror() of the failure)
  nodeHasActiveParent: () => 'Node has active parent node',
  inactivateNodeFailed: (errno: string) => `Failed to inactivate node: ${errno}`,
  inactivateAllFailed: (errno: string) => `Failed to inactivate all nodes: ${errno}`,
  // block.c: bdrv_reopen_prepare() and friends
  cannotChangeOption: (option: string) => `Cannot change the option '${option}'`,
  nodeNameNotSpecified: () => 'node-name not specified',
  backingMissing: (node: string) => `backing is missing for '${node}'`,
  reopenNotSupported: (driver: string, node: string) => `Block format '${driver}' used by node '${node}' does not support reopening files`,
  filterWithoutChild: (node: string, driver: string, child: string) =>
    `'${node}' is a ${driver} filter node that does not support a ${child} child`,
  // block.c: bdrv_set_file_or_backing_noperm()
  frozenLink: (link: string, parent: string, child: string) => `Cannot change frozen '${link}' link from '${parent}' to '${child}'`,
  noBackingSupport: (driver: string, node: string) => `Driver '${driver}' of node '${node}' does not support backing files`,
  // block/export/export.c, nbd/server.c, blockdev-nbd.c
  invalidExportId: () => 'Invalid block export id',
  exportIdInUse: (id: string) => `Block export id '${id}' is already in use`,
  exportReadOnlyWritable: () => 'Cannot export read-only node as writable',
  exportNotFound: (id: string) => `Export '${id}' is not found`,
  exportShuttingDown: (id: string) => `Export '${id}' is already shutting down`,
  nbdServerNotRunning: () => 'NBD server not running',
  nbdServerAlreadyRunning: () => 'NBD server already running',
  nbdExportNameInUse: (name: string) => `NBD server already has export named '${name}'`,
  // qcow2.c, raw-format.c, throttle.c
  notQcow2: () => 'Image is not in qcow2 format',
  couldNotReadHeader: (format: string, reason: string) => `Could not read ${format} header: ${reason}`,
  throttleGroupMissing: (group: string) => `Throttle group '${group}' does not exist`,
  throttleGroupRequired: () => 'Parameter \'throttle-group\' is missing',
  imageReadOnly: () => 'Image is read-only',
  // qapi/qobject-input-visitor.c
  missingParameter: (name: string) => `Parameter '${name}' is missing`,
  invalidParameterType: (name: string, expected: string) => `Invalid parameter type for '${name}', expected: ${expected}`,
  // qapi/qobject-input-visitor.c: qobject_input_type_uint64(); qapi-visit-core.c: visit_type_uintN()
  expectsUint64: (name: string) => `Parameter '${name}' expects uint64`,
  expectsUint32: (name: string) => `Parameter '${name}' expects uint32_t`,
  // qapi/qapi-visit-core.c: visit_type_intN(), visit_type_uintN() (int32_t, uint16_t, …)
  expectsIntType: (name: string, type: string) => `Parameter '${name}' expects ${type}`,
  unexpectedParameter: (name: string) => `Parameter '${name}' is unexpected`,
  invalidEnumValue: (name: string, value: string) => `Parameter '${name}' does not accept value '${value}'`,
  commandNotFound: (name: string) => `The command ${name} has not been found`,
  // qapi/qmp-dispatch.c: qmp_dispatch_check_obj(), qmp_dispatch()
  inputNotObject: () => 'QMP input must be a JSON object',
  inputLacksExecute: () => "QMP input lacks member 'execute'",
  memberNotString: (member: string) => `QMP input member '${member}' must be a string`,
  membersClash: (member: string, other: string) => `QMP input member '${member}' clashes with '${other}'`,
  memberUnexpected: (member: string) => `QMP input member '${member}' is unexpected`,
  argumentsNotObject: () => "QMP input member 'arguments' must be an object",
  commandNoOob: (name: string) => `The command ${name} does not support OOB`,
  // monitor/qmp.c: monitor_qmp_dispatch() before qmp_capabilities
  negotiationFirst: () => "Expecting capabilities negotiation with 'qmp_capabilities'",
  // monitor/qmp-cmds-control.c: qmp_qmp_capabilities()
  capabilitiesAlreadyNegotiated: () => 'Capabilities negotiation is already complete, command ignored',

  // block/null.c: null_file_open()
  latencyInvalid: () => 'latency-ns is invalid',
  // block.c: bdrv_open_driver() (error_setg_errno() of refresh_total_sectors())
  refreshTotalSectorsFailed: (errno: string) => `Could not refresh total sector count: ${errno}`,
  // block/raw-format.c: raw_apply_options()
  offsetBeyondFile: (offset: bigint, fileSize: bigint) => `Offset (${offset}) cannot be greater than size of the containing file (${fileSize})`,
  sliceBeyondFile: (offset: bigint, size: bigint, fileSize: bigint) =>
    `The sum of offset (${offset}) and size (${size}) has to be smaller or equal to the  actual size of the containing file (${fileSize})`,
  sizeNotSectorMultiple: () => 'Specified size is not multiple of 512',
  // block.c: bdrv_reopen_prepare()
  optionCannotBeReset: (option: string) => `Option '${option}' cannot be reset to its default value`,
  // block.c: bdrv_reopen_parse_file_or_backing()
  cannotReplaceImplicit: (link: string, node: string) => `Cannot replace implicit ${link} child of ${node}`,
  fileChildWithoutFile: () => 'Cannot set file child to format node without file child',
  // block.c: bdrv_op_is_blocked(), with the blocker's reason
  nodeBusy: (node: string, reason: string) => `Node '${node}' is busy: ${reason}`,
  // blockjob.c: block_job_create(), the blocker a job sets on its nodes
  blockedByJob: (jobType: string) => `block device is in use by block job: ${jobType}`,
  jobTypeCannotChange: () => 'Job type does not support change',
  copyModeChangeNotImplemented: (mode: string) => `Change to copy mode '${mode}' is not implemented`,
  // block.c: bdrv_backing_attach(), the blocker an overlay sets on its backing node
  usedAsBackingHd: (parent: string) => `node is used as backing hd of '${parent}'`,
  // block.c: bdrv_insert_node(), prefixed to the filter's open error
  couldNotCreateNode: (reason: string) => `Could not create node: ${reason}`,
  couldNotReplaceNode: (reason: string) => `Could not replace node: ${reason}`,

  // block/io.c: bdrv_check_qiov_request() (from bdrv_co_truncate()), bdrv_co_truncate()
  offsetExceedsMaximum: (offset: bigint, max: bigint) => `offset(${offset}) exceeds maximum(${max})`,
  resizeNotSupported: () => 'Image format driver does not support resize',
  // block/raw-format.c: raw_co_truncate()
  fixedSizeRaw: () => 'Cannot resize fixed-size raw disks',
  diskTooLargeForOffset: () => 'Disk size too large for the chosen offset',
  // blockdev.c: qmp_block_resize()
  sizeNotPositive: () => "Parameter 'size' expects a >0 size",
  deviceInUse: (device: string) => `Device '${device}' is in use`,
  // blockdev.c: external_snapshot_prepare()
  overlayInUse: () => 'The overlay is already in use',
  overlayHasBacking: () => 'The overlay already has a backing image',
  overlayNoBackingSupport: () => 'The overlay does not support backing images',
  // block/export/export.c: blk_exp_add(); nbd/server.c: nbd_export_create()
  noExportDriver: () => 'No driver found for the requested export type',
  exportNameTooLong: (name: string) => `export name '${name}' too long`,

  // job.c: job_create()
  invalidJobId: (id: string) => `Invalid job ID '${id}'`,
  jobIdInUse: (id: string) => `Job ID '${id}' already in use`,
  // blockjob.c: block_job_set_speed_locked() (QERR_INVALID_PARAMETER_VALUE)
  negativeSpeed: () => "Parameter 'speed' expects a non-negative value",
  // job.c: job_apply_verb_locked()
  jobCannotAcceptVerb: (id: string, status: string, verb: string) => `Job '${id}' in state '${status}' cannot accept command verb '${verb}'`,
  // job.c: job_user_pause_locked(), job_user_resume_locked(), job_complete_locked()
  jobAlreadyPaused: () => 'Job is already paused',
  jobNotPaused: () => "Can't resume a job that was not paused",
  jobCannotComplete: (id: string) => `The active block job '${id}' cannot be completed`,
  // job-qmp.c: find_job_locked()
  jobNotFound: () => 'Job not found',
  // blockdev.c: find_block_job_locked() (class DeviceNotActive)
  blockJobNotFound: (id: string) => `Block job '${id}' not found`,
  // blockdev.c: qmp_block_job_cancel()
  blockJobPaused: (device: string) => `The block job for device '${device}' is currently paused`,
  // blockdev.c: qmp_block_commit()
  topAndTopNodeExclusive: () => "'top-node' and 'top' are mutually exclusive",
  baseAndBaseNodeExclusive: () => "'base-node' and 'base' are mutually exclusive",
  notInBackingChain: (node: string) => `'${node}' is not in this backing file chain`,
  commitIntoItself: () => 'cannot commit an image into itself',
  backingFileOnActiveLayer: () => "'backing-file' specified, but 'top' is the active layer",
  backingFileWithWriter: () => "'backing-file' specified, but 'top' has a writer on it",
  // blockdev.c: qmp_block_stream()
  baseAndBaseNodeTogether: () => "'base' and 'base-node' cannot be specified at the same time",
  baseAndBottomTogether: () => "'base' and 'bottom' cannot be specified at the same time",
  bottomAndBaseNodeTogether: () => "'bottom' and 'base-node' cannot be specified at the same time",
  bottomIsFilter: (node: string) => `Node '${node}' is a filter, use a non-filter node as 'bottom'`,
  bottomNotInChain: (node: string, device: string) => `Node '${node}' is not in a chain starting from '${device}'`,
  notABackingImage: (base: string, node: string) => `Node '${base}' is not a backing image of '${node}'`,
  /** stream_start(): bdrv_find_overlay() found no image directly above the base. */
  notInStreamChain: (base: string, node: string) => `'${base}' is not in the backing chain of '${node}'`,
  // blockdev.c: qmp_get_root_bs(), do_backup_common(), blockdev_mirror_common()
  needRootNode: () => 'Need a root block node',
  bitmapNameRequired: (sync: string) => `must provide a valid bitmap name for '${sync}' sync mode`,
  syncModeNotSupported: (sync: string) => `Sync mode '${sync}' not supported`,
  // block/commit.c: commit_start()
  mergeTopIsBase: () => 'Invalid files for merge: top and base are the same',
  // block/mirror.c: mirror_start_job()
  mirrorIntoItself: () => "Can't mirror node into itself",
  // block/qcow2.c: qcow2_co_truncate()
  qcow2SizeNotSectorMultiple: () => 'The new size must be a multiple of 512',
  mirrorToFilterOnChain: () => "Cannot mirror to a filter on top of a node in the source's backing chain",
  // block/backup.c: backup_job_create()
  backupSameNode: () => 'Source and target cannot be the same',
  // (and mirror_run(), where the job fails at once)
  sizesDiffer: () => 'Source and target image have different sizes',
  // strerror(EIO): a job's read that failed (BLOCK_JOB_COMPLETED's and the job's `error`)
  ioError: () => 'Input/output error',

  // qom/object_interfaces.c: user_creatable_add_type() (QERR_INVALID_PARAMETER_VALUE); qom/object.c: object_property_try_add()
  idNotAnIdentifier: () => "Parameter 'id' expects an identifier",
  duplicateProperty: (name: string, type: string) => `attempt to add duplicate property '${name}' to object (type '${type}')`,
  // qom/object_interfaces.c: user_creatable_del()
  objectNotFound: (id: string) => `object '${id}' not found`,
  objectInUse: (id: string) => `object '${id}' is in use, can not be deleted`,

  // softmmu/qdev-monitor.c: qdev_get_device_class(), qdev_set_id()
  notADeviceModel: (driver: string) => `'${driver}' is not a valid device model name`,
  duplicateDeviceId: (id: string) => `Duplicate device ID '${id}'`,
  // hw/block/virtio-blk.c: virtio_blk_device_realize(); hw/scsi/scsi-disk.c: scsi_realize()
  drivePropertyNotSet: () => 'drive property not set',
  // hw/core/qdev-properties-system.c: set_drive_helper()
  propertyValueNotFound: (type: string, property: string, value: string) => `Property '${type}.${property}' can't find value '${value}'`,
  // hw/ide/core.c: ide_init_drive()
  readOnlyDrive: () => "Can't use a read-only drive",
  // softmmu/qdev-monitor.c: find_device_state(); blockdev.c: qmp_block_commit() (class DeviceNotFound)
  deviceNotFound: (id: string) => `Device '${id}' not found`,

  // block.c: bdrv_child_user_desc(), block-backend.c: blk_root_get_parent_desc(), blockjob.c:
  // child_job_get_parent_desc(): how a conflict message names an edge's holder
  parentNode: (node: string) => `node '${node}'`,
  parentJob: (type: string, id: string) => `${type} job '${id}'`,
  parentBlockDevice: (name: string) => `block device '${name}'`,
  parentUnnamedDevice: () => 'an unnamed block device',

  // qobject/json-streamer.c: json_message_process_token(); qobject/json-parser.c: parse_error()
  jsonParseError: (detail: string) => `JSON parse error, ${detail}`,
  jsonStray: (text: string) => `stray '${text}'`,
  jsonTokenSizeLimit: () => 'JSON token size limit exceeded',
  jsonTokenCountLimit: () => 'JSON token count limit exceeded',
  jsonNestingLimit: () => 'JSON nesting depth limit exceeded',
  jsonPrematureEoi: () => 'premature EOI',
  jsonExpectingValue: () => 'expecting value',
  jsonDictSeparator: () => 'expected separator in dict',
  jsonKeyNotString: () => 'key is not a string in object',
  jsonMissingColon: () => 'missing : in object pair',
  // the filter and special drivers' texts (src/messages/driver-messages.ts)
  jsonDuplicateKey: () => 'duplicate key',
  jsonListSeparator: () => 'expected separator in list',
  jsonInvalidKeyword: (word: string) => `invalid keyword '${word}'`,
  jsonInvalidUtf8: () => 'invalid UTF-8 sequence in string',
  jsonInvalidEscape: () => 'invalid escape sequence in string',
  jsonInvalidUnicode: (text: string) => `${text} is not a valid Unicode character`,

  // permgraph's own texts, not QEMU's.
  // core/open.ts: a driver the simulator has no model of
  driverNotSimulated: (driver: string, simulated: readonly string[]) =>
    `Driver '${driver}' is not simulated by permgraph (simulated: ${simulated.join(', ')})`,
  // commands/dispatch.ts: internalError(), a fault of the simulator's own (GenericError)
  internalError: (fault: string) => `internal error: ${fault}`,
  // The dynamic model's own: a writer's reopen that the storage refuses.
  dynamicReopenFailed: (node: string, reason: string) => `Cannot reopen node '${node}' read-write for a writer: ${reason}`,
  dynamicReopenFileReason: (filename: string, errno: string) => `could not open '${filename}': ${errno}`,
  // a client beyond an NBD server's limit (qemu-nbd -e) waits for an answer that never comes: QEMU hangs there
  nbdServerFull: (address: string, max: number) =>
    `The NBD server at '${address}' serves ${max} client${max === 1 ? '' : 's'} at once (qemu-nbd -e); QEMU would wait for it without end`,
} as const;
