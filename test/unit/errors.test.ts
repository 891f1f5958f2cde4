/**
 * QEMU 7.2's error texts: every message of src/messages/messages.ts built with sample arguments and
 * compared with the literal text, then the texts reproduced through execute() where
 * qemu-storage-daemon 7.2 gave them (spec §4.6, §7.3 and the oracle's FINDINGS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/messages.js';
import { QmpError, fail } from '../../src/messages/errors.js';
import { createPermgraph, createRealStorage, createVirtualStorage, qemuMessages, type QmpReply } from '../../src/node.js';

type Messages = typeof msg;
/** For each message: sample arguments and the literal text QEMU 7.2 prints for them. */
const TABLE: { [K in keyof Messages]: [Parameters<Messages[K]>, string] } = {
  permissionConflict: [
    ['g', 'write, resize', "node 'q1'", 'file', "node 'q2'", 'file'],
    "Permission conflict on node 'g': permissions 'write, resize' are both required by node 'q1' (uses node 'g' as 'file' child) and unshared by node 'q2' (uses node 'g' as 'file' child).",
  ],
  nodeReadOnly: [[], 'Block node is read-only'],
  readOnlyWithWriters: [['f0'], "Read-only block node 'f0' cannot support read-write users"],
  couldNotOpen: [['/img/a.img', 'Permission denied'], "Could not open '/img/a.img': Permission denied"],
  notRegularFile: [['/tmp/d'], "'file' driver requires '/tmp/d' to be a regular file"],
  lockFailed: [['write'], 'Failed to get "write" lock'],
  sharedLockFailed: [['resize'], 'Failed to get shared "resize" lock'],
  optionNotASize: [['offset'], "Parameter 'offset' expects a non-negative number below 2^64"],
  couldNotReadHeader: [['qcow2', 'Input/output error'], 'Could not read qcow2 header: Input/output error'],
  jobTypeCannotChange: [[], 'Job type does not support change'],
  copyModeChangeNotImplemented: [['background'], "Change to copy mode 'background' is not implemented"],
  optionOutOfRange: [['offset', '-1'], "Value '-1' is out of range for parameter 'offset'"],
  backingOpenFailed: [["Duplicate nodes with node-name='q0'", 1], "Could not open backing file: Duplicate nodes with node-name='q0'"],
  detectZeroesUnmapWithoutDiscard: [[], 'setting detect-zeroes to unmap is not allowed without setting discard operation to unmap'],
  forceShareReadWrite: [[], 'force-share=on can only be used with read-only images'],
  invalidNodeName: [['#bad'], "Invalid node-name: '#bad'"],
  duplicateNode: [['f0'], "Duplicate nodes with node-name='f0'"],
  nodeNameTooLong: [[], 'Node name too long'],
  nodeNameIsDeviceId: [['disk0'], 'node-name=disk0 is conflicting with a device id'],
  rootNeedsNodeName: [[], "'node-name' must be specified for the root node"],
  cannotFindDevice: [['', 'coru'], "Cannot find device='' nor node-name='coru'"],
  failedToFindNode: [['nosuch'], "Failed to find node with node-name='nosuch'"],
  nodeInUse: [['raw0'], 'Node raw0 is in use'],
  notOwnedByMonitor: [['q0-file'], 'Node q0-file is not owned by the monitor'],
  blockDeviceInUse: [['f0'], 'Block device f0 is in use'],
  wouldCreateCycle: [['tq', 'backing', 'bq'], "Making 'tq' a backing child of 'bq' would create a cycle"],
  // QEMU 10.0's inactive nodes (qemu-storage-daemon 10.0.2 gave each)
  inactiveChildOfActive: [['a', 'file', 'pa'], "Inactive 'a' can't be a file child of active 'pa'"],
  permUnavailableOnInactive: [['resize'], "Permission 'resize' unavailable on inactive node"],
  nodeHasActiveParent: [[], 'Node has active parent node'],
  inactivateNodeFailed: [['Operation not permitted'], 'Failed to inactivate node: Operation not permitted'],
  inactivateAllFailed: [['Operation not permitted'], 'Failed to inactivate all nodes: Operation not permitted'],
  cannotChangeOption: [['filename'], "Cannot change the option 'filename'"],
  nodeNameNotSpecified: [[], 'node-name not specified'],
  backingMissing: [['tq'], "backing is missing for 'tq'"],
  reopenNotSupported: [['copy-on-read', 'c'], "Block format 'copy-on-read' used by node 'c' does not support reopening files"],
  // block.c: bdrv_reopen_parse_file_or_backing() (read from the source: QMP's schema keeps a filter's other child out)
  filterWithoutChild: [['t', 'throttle', 'backing'], "'t' is a throttle filter node that does not support a backing child"],
  noBackingSupport: [['null-co', 'n0'], "Driver 'null-co' of node 'n0' does not support backing files"],
  frozenLink: [['backing', 'mid', 'base'], "Cannot change frozen 'backing' link from 'mid' to 'base'"],
  invalidExportId: [[], 'Invalid block export id'],
  exportIdInUse: [['e1'], "Block export id 'e1' is already in use"],
  exportReadOnlyWritable: [[], 'Cannot export read-only node as writable'],
  exportNotFound: [['nosuch'], "Export 'nosuch' is not found"],
  // block/export/export.c: qmp_block_export_del() (read from the source, not reached in a run)
  exportShuttingDown: [['e'], "Export 'e' is already shutting down"],
  nbdServerNotRunning: [[], 'NBD server not running'],
  nbdServerAlreadyRunning: [[], 'NBD server already running'],
  nbdExportNameInUse: [['raw0'], "NBD server already has export named 'raw0'"],
  notQcow2: [[], 'Image is not in qcow2 format'],
  imageNotInFormat: [['QED'], 'Image not in QED format'],
  qcowVersion: [[3], 'qcow (v1) does not support qcow version 3'],
  vmdkFileTooSmall: [[], 'File is too small, not a valid image'],
  vmdkInvalidDescriptor: [[], 'invalid VMDK image descriptor'],
  vpcFileTooSmall: [[], 'File too small for a VHD header'],
  vpcInvalid: [[], 'invalid VPC image'],
  vdiBadSignature: [['00000080'], 'Image not in VDI format (bad signature 00000080)'],
  vdiUnsupportedSize: [
    ['73746e756f636665', '1fffff8000000'],
    'Unsupported VDI image size (size is 0x73746e756f636665, max supported is 0x1fffff8000000)',
  ],
  cloopBlockSizeZero: [[], 'block_size cannot be zero'],
  cloopBlockSizeTooLarge: [[1651078144], 'block_size 1651078144 must be 64 MB or less'],
  cloopBlockSizeNotMultiple: [[1345869837], 'block_size 1345869837 must be a multiple of 512'],
  dmgTooSmall: [[], 'dmg file must be at least 512 bytes long'],
  dmgNoTrailer: [[], 'Could not locate UDIF trailer in dmg file'],
  luksKeySecretRequired: [[], "Parameter 'key-secret' is required for cipher"],
  luksNotLuks: [[], 'Volume is not in LUKS format'],
  luksInvalidPassword: [[], 'Invalid password, cannot unlock any keyslot'],
  noSecret: [['nosuch'], "No secret with id 'nosuch'"],
  notASecret: [['tg'], "Object with id 'tg' is not a secret"],
  secretNeedsData: [[], "Either 'file' or 'data' must be provided"],
  propertyNotWritable: [['secret.loaded'], "Property 'secret.loaded' is not writable"],
  qedInvalidSize: [[], 'Invalid image size specified'],
  qedCannotShrink: [[], 'Shrinking images is currently not supported'],
  throttleGroupMissing: [['g'], "Throttle group 'g' does not exist"],
  throttleGroupRequired: [[], "Parameter 'throttle-group' is missing"],
  imageReadOnly: [[], 'Image is read-only'],
  missingParameter: [['options[0].file'], "Parameter 'options[0].file' is missing"],
  invalidParameterType: [['file', 'BlockdevRef'], "Invalid parameter type for 'file', expected: BlockdevRef"],
  expectsUint64: [['speed'], "Parameter 'speed' expects uint64"],
  expectsUint32: [['cluster-size'], "Parameter 'cluster-size' expects uint32_t"],
  expectsIntType: [['to', 'uint16_t'], "Parameter 'to' expects uint16_t"],
  unexpectedParameter: [['file.bogus'], "Parameter 'file.bogus' is unexpected"],
  invalidEnumValue: [['driver', 'nope'], "Parameter 'driver' does not accept value 'nope'"],
  commandNotFound: [['nope'], 'The command nope has not been found'],
  inputNotObject: [[], 'QMP input must be a JSON object'],
  inputLacksExecute: [[], "QMP input lacks member 'execute'"],
  memberNotString: [['exec-oob'], "QMP input member 'exec-oob' must be a string"],
  membersClash: [['execute', 'exec-oob'], "QMP input member 'execute' clashes with 'exec-oob'"],
  memberUnexpected: [['extra'], "QMP input member 'extra' is unexpected"],
  commandNoOob: [['query-jobs'], 'The command query-jobs does not support OOB'],
  negotiationFirst: [[], "Expecting capabilities negotiation with 'qmp_capabilities'"],
  argumentsNotObject: [[], "QMP input member 'arguments' must be an object"],
  capabilitiesAlreadyNegotiated: [[], 'Capabilities negotiation is already complete, command ignored'],
  latencyInvalid: [[], 'latency-ns is invalid'],
  refreshTotalSectorsFailed: [['File too large'], 'Could not refresh total sector count: File too large'],
  offsetBeyondFile: [[4096n, 1024n], 'Offset (4096) cannot be greater than size of the containing file (1024)'],
  // two spaces before "actual": QEMU's string literals join that way
  sliceBeyondFile: [
    [512n, 1024n, 1024n],
    'The sum of offset (512) and size (1024) has to be smaller or equal to the  actual size of the containing file (1024)',
  ],
  sizeNotSectorMultiple: [[], 'Specified size is not multiple of 512'],
  optionCannotBeReset: [['offset'], "Option 'offset' cannot be reset to its default value"],
  cannotReplaceImplicit: [['file', 'q0'], 'Cannot replace implicit file child of q0'],
  fileChildWithoutFile: [[], 'Cannot set file child to format node without file child'],
  nodeBusy: [['mid', 'block device is in use by block job: commit'], "Node 'mid' is busy: block device is in use by block job: commit"],
  blockedByJob: [['stream'], 'block device is in use by block job: stream'],
  usedAsBackingHd: [['top'], "node is used as backing hd of 'top'"],
  unknownFileFormat: [['vmdk'], "Unknown file format 'vmdk'"],
  couldNotCreateNode: [['Block node is read-only'], 'Could not create node: Block node is read-only'],
  couldNotReplaceNode: [['Permission denied'], 'Could not replace node: Permission denied'],
  offsetExceedsMaximum: [[9223372035781033985n, 9223372035781033984n], 'offset(9223372035781033985) exceeds maximum(9223372035781033984)'],
  resizeNotSupported: [[], 'Image format driver does not support resize'],
  fixedSizeRaw: [[], 'Cannot resize fixed-size raw disks'],
  diskTooLargeForOffset: [[], 'Disk size too large for the chosen offset'],
  sizeNotPositive: [[], "Parameter 'size' expects a >0 size"],
  deviceInUse: [['(null)'], "Device '(null)' is in use"],
  overlayInUse: [[], 'The overlay is already in use'],
  overlayHasBacking: [[], 'The overlay already has a backing image'],
  overlayNoBackingSupport: [[], 'The overlay does not support backing images'],
  noExportDriver: [[], 'No driver found for the requested export type'],
  exportNameTooLong: [['n'], "export name 'n' too long"],
  invalidJobId: [['#j'], "Invalid job ID '#j'"],
  jobIdInUse: [['j1'], "Job ID 'j1' already in use"],
  negativeSpeed: [[], "Parameter 'speed' expects a non-negative value"],
  jobCannotAcceptVerb: [['j1', 'running', 'finalize'], "Job 'j1' in state 'running' cannot accept command verb 'finalize'"],
  jobAlreadyPaused: [[], 'Job is already paused'],
  jobNotPaused: [[], "Can't resume a job that was not paused"],
  jobCannotComplete: [['c1'], "The active block job 'c1' cannot be completed"],
  jobNotFound: [[], 'Job not found'],
  blockJobNotFound: [['j'], "Block job 'j' not found"],
  blockJobPaused: [['m1'], "The block job for device 'm1' is currently paused"],
  topAndTopNodeExclusive: [[], "'top-node' and 'top' are mutually exclusive"],
  baseAndBaseNodeExclusive: [[], "'base-node' and 'base' are mutually exclusive"],
  notInBackingChain: [['mid'], "'mid' is not in this backing file chain"],
  commitIntoItself: [[], 'cannot commit an image into itself'],
  backingFileOnActiveLayer: [[], "'backing-file' specified, but 'top' is the active layer"],
  backingFileWithWriter: [[], "'backing-file' specified, but 'top' has a writer on it"],
  baseAndBaseNodeTogether: [[], "'base' and 'base-node' cannot be specified at the same time"],
  baseAndBottomTogether: [[], "'base' and 'bottom' cannot be specified at the same time"],
  bottomAndBaseNodeTogether: [[], "'bottom' and 'base-node' cannot be specified at the same time"],
  notABackingImage: [['top', 'mid'], "Node 'top' is not a backing image of 'mid'"],
  notInStreamChain: [['q1', 't2'], "'q1' is not in the backing chain of 't2'"],
  bottomIsFilter: [['t0'], "Node 't0' is a filter, use a non-filter node as 'bottom'"],
  bottomNotInChain: [['q1', 'top'], "Node 'q1' is not in a chain starting from 'top'"],
  needRootNode: [[], 'Need a root block node'],
  bitmapNameRequired: [['incremental'], "must provide a valid bitmap name for 'incremental' sync mode"],
  syncModeNotSupported: [['bitmap'], "Sync mode 'bitmap' not supported"],
  mergeTopIsBase: [[], 'Invalid files for merge: top and base are the same'],
  mirrorIntoItself: [[], "Can't mirror node into itself"],
  mirrorGranularityRange: [[], "Parameter 'granularity' expects a value in range [512B, 64MB]"],
  mirrorGranularityPowerOf2: [[], "Parameter 'granularity' expects a power of 2"],
  mirrorBufSizeInvalid: [[], "Invalid parameter 'buf-size'"],
  qcow2SizeNotSectorMultiple: [[], 'The new size must be a multiple of 512'],
  mirrorToFilterOnChain: [[], "Cannot mirror to a filter on top of a node in the source's backing chain"],
  backupSameNode: [[], 'Source and target cannot be the same'],
  sizesDiffer: [[], 'Source and target image have different sizes'],
  ioError: [[], 'Input/output error'],
  idNotAnIdentifier: [[], "Parameter 'id' expects an identifier"],
  duplicateProperty: [['g', 'container'], "attempt to add duplicate property 'g' to object (type 'container')"],
  objectNotFound: [['g'], "object 'g' not found"],
  objectInUse: [['g'], "object 'g' is in use, can not be deleted"],
  notADeviceModel: [['floppy'], "'floppy' is not a valid device model name"],
  duplicateDeviceId: [['disk0'], "Duplicate device ID 'disk0'"],
  drivePropertyNotSet: [[], 'drive property not set'],
  propertyValueNotFound: [['scsi-hd', 'drive', 'nosuch'], "Property 'scsi-hd.drive' can't find value 'nosuch'"],
  readOnlyDrive: [[], "Can't use a read-only drive"],
  deviceNotFound: [['disk0'], "Device 'disk0' not found"],
  // permgraph's own texts, not QEMU's
  internalError: [['boom'], 'internal error: boom'],
  parentNode: [['q1'], "node 'q1'"],
  parentJob: [['commit', 'c1'], "commit job 'c1'"],
  parentBlockDevice: [['vda'], "block device 'vda'"],
  parentUnnamedDevice: [[], 'an unnamed block device'],
  jsonParseError: [['premature EOI'], 'JSON parse error, premature EOI'],
  jsonStray: [['\\x01'], "stray '\\x01'"],
  jsonTokenSizeLimit: [[], 'JSON token size limit exceeded'],
  jsonTokenCountLimit: [[], 'JSON token count limit exceeded'],
  jsonNestingLimit: [[], 'JSON nesting depth limit exceeded'],
  jsonPrematureEoi: [[], 'premature EOI'],
  jsonExpectingValue: [[], 'expecting value'],
  jsonDictSeparator: [[], 'expected separator in dict'],
  jsonKeyNotString: [[], 'key is not a string in object'],
  jsonMissingColon: [[], 'missing : in object pair'],
  jsonDuplicateKey: [[], 'duplicate key'],
  jsonListSeparator: [[], 'expected separator in list'],
  jsonInvalidKeyword: [['nul'], "invalid keyword 'nul'"],
  jsonInvalidUtf8: [[], 'invalid UTF-8 sequence in string'],
  jsonInvalidEscape: [[], 'invalid escape sequence in string'],
  jsonInvalidUnicode: [['\\u0000'], '\\u0000 is not a valid Unicode character'],
  driverNotSimulated: [
    ['vmdk', ['file', 'raw']],
    "Driver 'vmdk' is not simulated by permgraph (simulated: file, raw)",
  ],
  // the dynamic model's own text (docs/architecture.md), not QEMU's
  dynamicReopenFailed: [
    ['f0', "could not open '/img/a.img': Permission denied"],
    "Cannot reopen node 'f0' read-write for a writer: could not open '/img/a.img': Permission denied",
  ],
  dynamicReopenFileReason: [['/img/a.img', 'Permission denied'], "could not open '/img/a.img': Permission denied"],
  nbdServerFull: [['/w/ro.sock', 1], "The NBD server at '/w/ro.sock' serves 1 client at once (qemu-nbd -e); QEMU would wait for it without end"],
  bitmapNameEmpty: [[], 'Bitmap name cannot be empty'],
  bitmapGranularity: [[], 'Granularity must be power of 2 and at least 512'],
  bitmapExists: [['b1'], 'Bitmap already exists: b1'],
  bitmapNameTooLong: [['bb'], 'Bitmap name too long: bb'],
  cannotStoreBitmaps: [['r'], "Can't store persistent bitmaps to r: Operation not supported"],
  cannotMakePersistent: [['pb', 'v2', 'Cannot store dirty bitmaps in qcow2 v2 files'], "Can't make bitmap 'pb' persistent in 'v2': Cannot store dirty bitmaps in qcow2 v2 files"],
  qcow2BitmapTooLarge: [[], 'Too much space will be occupied by the bitmap. Use larger granularity'],
  qcow2BitmapNameTooLong: [[], 'Name length exceeds maximum (1023 characters)'],
  bitmapNodeNotFound: [['q'], "Node 'q' not found"],
  bitmapNotFound: [['zz'], "Dirty bitmap 'zz' not found"],
  bitmapBusy: [['b1'], "Bitmap 'b1' is currently in use by another operation and cannot be used"],
  bitmapReadOnly: [['b2'], "Bitmap 'b2' is readonly and cannot be modified"],
  bitmapSizesDiffer: [[1048576, 2097152], "Bitmaps are of different sizes (destination size is 1048576, source size is 2097152) and can't be merged"],
  backupBitmapModeIncremental: [[], "Bitmap sync mode must be 'on-success' when using sync mode 'incremental'"],
  backupBitmapNotFound: [['nob'], "Bitmap 'nob' could not be found"],
  backupBitmapModeRequired: [[], 'Bitmap sync mode must be given when providing a bitmap'],
  backupBitmapSyncNone: [[], "sync mode 'none' does not produce meaningful bitmap outputs"],
  backupBitmapModeUseless: [['never', 'full'], "Bitmap sync mode 'never' has no meaningful effect when combined with sync mode 'full'"],
  backupBitmapModeWithoutBitmap: [[], 'Cannot specify bitmap sync mode without a bitmap'],
  exportBitmapNotFound: [['zz'], "Bitmap 'zz' is not found"],
  exportBitmapEnabled: [['sb'], "Enabled bitmap 'sb' incompatible with readonly export"],
  couldNotOpenImage: [['Permission denied'], 'Could not open image: Permission denied'],
  nbdConnectFailed: [['/w/none.sock', 'No such file or directory'], "Failed to connect to '/w/none.sock': No such file or directory"],
  nbdExportNotAvailable: [[], 'Requested export not available'],
  nbdExportReadOnly: [[], 'NBD export is read-only'],
  flushFailed: [['Input/output error'], 'Error flushing drive: Input/output error'],
  addressResolutionFailed: [['no.such', '10809', 'Name or service not known'], 'address resolution failed for no.such:10809: Name or service not known'],
  fdPassingUnsupported: [[], 'only QEMU supports file descriptor passing'],
  keyvalExpectedEquals: [['cache.direct'], "Expected '=' after parameter 'cache.direct'"],
  keyvalInvalidParameter: [['a..b'], "Invalid parameter 'a..b'"],
  keyvalInconsistent: [['cache'], "Parameters 'cache.*' used inconsistently"],
  keyvalExpectsBool: [['read-only'], "Parameter 'read-only' expects 'on' or 'off'"],
  keyvalExpectsInteger: [['size'], "Parameter 'size' expects integer"],
  keyvalExpectsSize: [['size'], "Parameter 'size' expects size"],
  keyvalExpectsNumber: [['x'], "Parameter 'x' expects number"],
  nbdReopenReadWrite: [[], "Can't reopen read-only NBD mount as read/write"],
  nbdCannotGrow: [[], 'Cannot grow NBD nodes'],
  nbdExportNameTooLong: [[], 'export name too long to send to server'],
  nbdBitmapNameTooLong: [[], 'x-dirty-bitmap query too long to send to server'],
  noTlsCreds: [['tls0'], "No TLS credentials with id 'tls0'"],
  notTlsCreds: [['tg0'], "Object with id 'tg0' is not TLS credentials"],
  noBackingFileToChange: [[], 'not allowing backing file change on an image without a backing file'],
  notInSameChain: [['r'], "'r' and image file are not in the same chain"],
  couldNotChangeBackingFile: [['y', 'Operation not supported'], "Could not change backing file to 'y': Operation not supported"],
  nodeNameNotFound: [['nope'], "Failed to find node with node-name='nope'"],
  nodeHasBlockBackend: [['t'], 'Node t is associated with a BlockBackend and could be in use (use force=true to override this check)'],
  iothreadNotFound: [['io'], 'Cannot find iothread io'],
  notAnNbdExport: [['v'], "Block export 'v' is not an NBD export"],
  createNotSupported: [[], 'Driver does not support blockdev-create'],
  amendNotSupported: [[], 'Driver does not support x-blockdev-amend'],
  amendChangesDriver: [[], "x-blockdev-amend doesn't support changing the block driver"],
  amendNotEncrypted: [[], "image is not encrypted, can't amend"],
  couldNotCreate: [['/i/a.img', 'Permission denied'], "Could not create '/i/a.img': Permission denied"],
  extentSizeHintTooLarge: [[], 'Extent size hint is too large'],
  filePreallocUnsupported: [['metadata'], 'Unsupported preallocation mode: metadata'],
  qcow2CreateSizeAlign: [[], 'Image size must be a multiple of 512 bytes'],
  qcow2ExtendedL2NeedsV3: [[], 'Extended L2 entries are only supported with compatibility level 1.1 and above (use version=v3 or greater)'],
  qcow2ClusterSize: [[], 'Cluster size must be a power of two between 512 and 2048k'],
  qcow2ExtendedL2ClusterSize: [[], 'Extended L2 entries are only supported with cluster sizes of at least 16384 bytes'],
  qcow2BackingPrealloc: [[], 'Backing file and preallocation can only be used at the same time if extended_l2 is on'],
  qcow2BackingFmtWithoutFile: [[], 'Backing format cannot be used without backing file'],
  qcow2LazyRefcountsNeedV3: [[], 'Lazy refcounts only supported with compatibility level 1.1 and above (use version=v3 or greater)'],
  qcow2RefcountWidth: [[], 'Refcount width must be a power of two and may not exceed 64 bits'],
  qcow2RefcountWidthNeedsV3: [[], 'Different refcount widths than 16 bits require compatibility level 1.1 or above (use version=v3 or greater)'],
  qcow2DataFileRawNeedsDataFile: [[], 'data-file-raw requires data-file'],
  qcow2BackingAndDataFileRaw: [[], 'Backing file and data-file-raw cannot be used at the same time'],
  qcow2DataFileNeedsV3: [[], 'External data files are only supported with compatibility level 1.1 and above (use version=v3 or greater)'],
  qcow2CompressionNeedsV3: [[], 'Non-zlib compression type is only supported with compatibility level 1.1 and above (use version=v3 or greater)'],
  createNotSimulated: [["driver 'vdi'"], "blockdev-create of driver 'vdi' is not simulated by permgraph (simulated: file, qcow2 without data-file or encrypt)"],
  preallocateAlignment: [[512], 'prealloc-align parameter of preallocate filter is not aligned to 512'],
  compressionUnsupported: [['file'], 'Compression is not supported for underlying format: file'],
  replicationPrimaryTopId: [[], 'The primary side does not support option top-id'],
  replicationMissingTopId: [[], 'Missing the option top-id'],
  blkdebugConfigUnreadable: [['No such file or directory'], 'Could not read blkdebug config file: No such file or directory'],
  blkdebugConstraint: [['align', '3'], 'Cannot meet constraints with align 3'],
  logAppendWithSectorSize: [[], 'log-append and log-sector-size are mutually exclusive'],
  logSuperblockMagic: [[], 'Invalid log superblock magic'],
  logSectorSize: [['100'], 'Invalid log sector size 100'],
  logUpdateInterval: [['0'], 'Invalid log superblock update interval 0'],
  quorumNoChildren: [[], 'Number of provided children must be 1 or more'],
  invalidParameterValue: [['vote-threshold', 'a value >= 1'], "Parameter 'vote-threshold' expects a value >= 1"],
  quorumThresholdTooHigh: [[], 'threshold may not exceed children count'],
  quorumBlkverifyShape: [[], 'blkverify=on can only be set if there are exactly two files and vote-threshold is 2'],
  quorumRewriteWithBlkverify: [[], 'rewrite-corrupted=on cannot be used with blkverify=on'],
  quorumAddBlkverify: [[], 'Cannot add a child to a quorum in blkverify mode'],
  quorumBelowThreshold: [['2'], 'The number of children cannot be lower than the vote threshold 2'],
  changeChildAndNode: [[], 'The parameters child and node are in conflict'],
  changeNeitherChildNorNode: [[], 'Either child or node must be specified'],
  changeNoSuchChild: [['q0', 'children.5'], "Node 'q0' does not have child 'children.5'"],
  changeNodeNotFound: [['f9'], "Node 'f9' not found"],
  cannotAddChild: [['f0'], 'The node f0 does not support adding a child'],
  cannotRemoveChild: [['f0'], 'The node f0 does not support removing a child'],
  alreadyHasParent: [['f0'], 'The node f0 already has a parent'],
  notDevice: [['host_device', '/tmp/a.img'], "'host_device' driver requires '/tmp/a.img' to be either a character or block device"],
  overlayIsFilter: [[], 'Filters cannot be used as overlays'],
  overlayNodeNameMissing: [[], 'New overlay node-name missing'],
  overlayNodeNameInUse: [[], 'New overlay node-name already in use'],
  backingNotSupported: [['raw'], "Backing file not supported for file format 'raw'"],
  creationNotSupported: [['throttle'], "Format driver 'throttle' does not support image creation"],
  backingSameAsImage: [[], 'Error: Trying to create an image with the same filename as the backing file'],
  vmdkBackingNotVmdk: [[], 'backing_file must be a vmdk image'],
  protocolCannotCreate: [['nbd', 'x'], "Protocol driver 'nbd' does not support image creation, and opening the image failed: x"],
  protocolCannotCreate10: [
    ['nbd', 'x'],
    "Protocol driver 'nbd' does not support creating new images, so an existing image must be selected as the target; however, opening the given target as an existing image failed: x",
  ],
  nbdFilenameNotNbd: [[], "File name string for NBD must start with 'nbd:'"],
  deviceReadOnly: [['q0'], "Device 'q0' is read only"],
  noInternalSnapshots: [['raw', 'r1'], "Block format 'raw' used by device 'r1' does not support internal snapshots"],
  snapshotNameEmpty: [[], 'Name is empty'],
  snapshotExists: [['s1', 'q0'], "Snapshot with name 's1' already exists on device 'q0'"],
  snapshotNameOrId: [[], 'Name or id must be provided'],
  snapshotNotFound: [[undefined, 'zz', 'q0'], "Snapshot with id 'null' and name 'zz' does not exist on device 'q0'"],
  snapshotListUnsupported: [[], 'Failed to get a snapshot list: Operation not supported'],
  completionModeUnsupported: [
    ['blockdev-snapshot-internal-sync', 'grouped'],
    "Action 'blockdev-snapshot-internal-sync' does not support Transaction property completion-mode = grouped",
  ],
  completionModeUnsupported10: [
    ['blockdev-snapshot-internal-sync', 'grouped'],
    "Action 'blockdev-snapshot-internal-sync' does not support transaction property completion-mode = grouped",
  ],
  transactionAborted: [[], 'Transaction aborted using Abort action'],
  chardevExists: [['n0'], "Chardev with id 'n0' already exists"],
  chardevAddFailed: [['r1', 'size of ringbuf chardev must be power of two'], "Failed to add chardev 'r1': size of ringbuf chardev must be power of two"],
  notACharDriver: [['msmouse'], "'msmouse' is not a valid char driver name"],
  ringbufSizeNotPowerOfTwo: [[], 'size of ringbuf chardev must be power of two'],
  chardevDoesNotExist: [['zz'], "Chardev 'zz' does not exist"],
  chardevNoHotswap: [[], 'Chardev user does not support chardev hotswap'],
  chardevNotFound: [['zz'], "Chardev 'zz' not found"],
  chardevBusy: [['qmp0'], "Chardev 'qmp0' is busy"],
  ringbufDeviceNotFound: [['zz'], "Device 'zz' not found"],
  notARingbuf: [['n0'], 'n0 is not a ringbuf device'],
  ringbufReadSizeNotPositive: [[], 'size must be greater than zero'],
  base64InvalidCharacters: [[], 'Base64 data contains invalid characters'],
  qomDeviceNotFound: [['/nosuch'], "Device '/nosuch' not found"],
  qomPathAmbiguous: [[''], "Path '' is ambiguous"],
  qomPropertyNotFound: [['chardev-ringbuf', 'nosuch'], "Property 'chardev-ringbuf.nosuch' not found"],
  qomNotWritable: [['throttle-group', 'type'], "Property 'throttle-group.type' is not writable"],
  qomSetAfterInit: [[], 'Property cannot be set after initialization'],
  qomValueNotSimulated: [['iothread', 'poll-max-ns'], "The value of property 'iothread.poll-max-ns' is not simulated by permgraph"],
  qomClassNotFound: [['nosuch'], "Class 'nosuch' not found"],
  qomNotAQomType: [[], "Parameter 'typename' expects a QOM type"],
  qomListPropertiesAborts: [['qio-net-listener'], "qom-list-properties of 'qio-net-listener' makes qemu-storage-daemon abort; not simulated by permgraph"],
  chardevNotSimulated: [['pty', ['null', 'ringbuf']], "Chardev backend 'pty' is not simulated by permgraph (simulated: null, ringbuf)"],
  propertyValueOutOfRange: [['v4', 'logical-block-size', 256, 512, 2097152], "Property v4.logical-block-size doesn't take value 256 (minimum: 512, maximum: 2097152)"],
  blockSizeNotPowerOf2: [['v3', 'logical-block-size', 1000], "Property v3.logical-block-size doesn't take value '1000', it's not a power of 2"],
  blockSizeNotPowerOf2Between: [['logical-block-size', 512, 2097152], 'parameter logical-block-size must be a power of 2 between 512 and 2097152'],
  numQueuesZero: [[], 'num-queues must be greater than 0'],
  vhostUserSocketTypes: [[], "Only socket address types 'unix' and 'fd' are supported"],
  fuseMountpointInUse: [['/m'], "There already is a FUSE export on '/m'"],
  fuseStatFailed: [['/w/nothere', 'No such file or directory'], "Failed to stat '/w/nothere': No such file or directory"],
  fuseNotRegularFile: [['/w/dir'], "'/w/dir' is not a regular file"],
  fuseMountFailed: [[], 'Failed to mount FUSE session to export'],
  exportIothreadNotFound: [['noio'], 'iothread "noio" not found'],
  exportTypeNoInactive: [[], 'Export type does not support inactive exports'],
  socketBindFailed: [['/w/nodir/v.sock', 'No such file or directory'], 'Failed to bind socket to /w/nodir/v.sock: No such file or directory'],
  queueSizeInvalid: [[], 'queue-size is invalid'],
  vduseDeviceFailed: [[], 'failed to create vduse device'],
  bitmapsNoWriteAccess: [[], 'No write access'],
  unknownDriver: [['ssh'], "Unknown driver 'ssh'"],
  curlNoWrites: [[], 'curl driver does not support writes'],
  curlReadaheadNotSector: [['100'], 'HTTP_READAHEAD_SIZE 100 is not a multiple of 512'],
  curlTimeoutTooLarge: [[], 'timeout parameter is too large or negative'],
  curlCookieAndSecret: [[], 'curl driver cannot handle both cookie and cookie secret'],
  curlWrongProtocol: [['http', 'ftp://h/x'], "http curl driver cannot handle the URL 'ftp://h/x' (does not start with 'http://')"],
  curlOpenFailed: [['x'], 'CURL: Error opening file: x'],
  curlCouldNotConnect: [['127.0.0.1', '1'], "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server"],
  curlCouldNotResolve: [['h.invalid'], 'Could not resolve host: h.invalid'],
  sshNumericPort: [[], 'Use only numeric port value'],
  inetResolveFailed: [['h.invalid', '22', 'Name or service not known'], 'address resolution failed for h.invalid:22: Name or service not known'],
  inetConnectFailed: [['127.0.0.1', '1', 'Connection refused'], "Failed to connect to '127.0.0.1:1': Connection refused"],
  nfsInvalidUrl: [[], 'Invalid URL specified'],
  nfsCacheDirect: [['pagecache'], 'Cannot enable NFS pagecache if cache.direct = on'],
  nfsMountFailed: [['x'], 'Failed to mount nfs share: x'],
  nfsServiceFailed: [[], 'nfs_service failed'],
  nfsUnresolved: [['h.invalid'], 'nfs_mount_async failed. Failed to start connection. Failed to start connection. Invalid address:h.invalid. Can not resolv into IPv4/v6 structure.'],
  rbdConfFile: [['/w/c', 'No such file or directory'], 'error reading conf file /w/c: No such file or directory'],
  rbdConnect: [['No such file or directory'], 'error connecting: No such file or directory'],
  iscsiChapNoPassword: [[], 'CHAP username specified but no password was given'],
  iscsiConnectFailed: [['x'], 'iSCSI: Failed to connect to LUN : x'],
  iscsiServiceFailed: [[], 'iscsi_service failed with : iscsi_service_reconnect_if_loggedin. Can not reconnect right now.\n'],
  iscsiUnresolved: [['h.invalid:1'], 'Failed to start full connect Invalid target:h.invalid:1  Can not resolv into IPv4/v6.'],
  iscsiIserFailed: [[], "Failed to start full connect Couldn't connect transport: Failed creating Event Channel\n"],
  glusterToUnsupported: [[], "Parameter 'to' not supported"],
  glusterIpUnsupported: [[], "Parameters 'ipv4/ipv6' not supported"],
  glusterInvalidPort: [['x'], "'x' is not a valid port number"],
  glusterConnectFailed: [['v', '/w/x'], 'Gluster connection for volume v, path /w/x failed to connect'],
  vfioOpenFailed: [['No such file or directory'], 'Failed to open /dev/vfio/vfio: No such file or directory'],
  networkNotSimulated: [['ssh', "host 'example.com'"], "Driver 'ssh' with host 'example.com' is not simulated by permgraph"],
  vvfatLabelTooLong: [[], 'vvfat label cannot be longer than 11 bytes'],
  vvfatFatType: [[], 'Valid FAT types are only 12, 16 and 32'],
  vvfatRwReadOnly: [[], "Unable to set VVFAT to 'rw' when drive is read-only"],
  vvfatCannotReadDirectory: [['/w/nope'], 'Could not read directory /w/nope'],
  vvfatWriteTargetNotSimulated: [[], "vvfat's write target (rw on a node opened read-write) is not simulated by permgraph"],
};

describe('the message table (src/messages/messages.ts)', () => {
  it('has a literal text below for every message, and no other', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(msg).sort());
  });

  it.each(Object.entries(TABLE))('%s', (name, [args, text]) => {
    const build = msg[name as keyof Messages] as (...a: string[]) => string;
    expect(build(...(args as string[]))).toBe(text);
  });

  it('is the table the public API exports', () => {
    expect(qemuMessages).toBe(msg);
  });
});

describe('QmpError', () => {
  it("carries QEMU's class and text; fail() throws it, GenericError unless told", () => {
    const error = new QmpError('DeviceNotActive', "Block job 'j' not found");
    expect([error.name, error.errorClass, error.desc, error.message]).toEqual(['QmpError', 'DeviceNotActive', "Block job 'j' not found", "Block job 'j' not found"]);
    expect(() => fail('Block node is read-only')).toThrow(new QmpError('GenericError', 'Block node is read-only'));
    try {
      fail('x', 'CommandNotFound');
    } catch (e) {
      expect((e as QmpError).errorClass).toBe('CommandNotFound');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Through execute()

const FILES = {
  '/i/a.img': { format: 'raw' as const, size: 1 << 20 },
  '/i/ro.img': { format: 'raw' as const, writable: false },
  '/i/g.qcow2': { format: 'qcow2' as const },
  '/i/base.qcow2': { format: 'qcow2' as const },
  '/i/mid.qcow2': { format: 'qcow2' as const, clusters: [0] },
  '/i/top.qcow2': { format: 'qcow2' as const, clusters: [0] },
  '/i/tgt.qcow2': { format: 'qcow2' as const },
};

type Step = [string, Record<string, unknown>?];
const session = () => {
  const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage(FILES) });
  return (execute: string, args?: Record<string, unknown>): QmpReply => pg.execute({ execute, ...(args ? { arguments: args } : {}) });
};
const run = (steps: Step[]): QmpReply[] => {
  const execute = session();
  return steps.map(([name, args]) => execute(name, args));
};
const ok = { return: {} };
const error = (desc: string) => ({ error: { class: 'GenericError', desc } });

/** A chain base <- mid <- top of qcow2 nodes with inline files, all read-write, and an NBD server. */
const CHAIN: Step[] = [
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'base', 'read-only': true, backing: null, file: { driver: 'file', filename: '/i/base.qcow2' } }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'mid', backing: 'base', file: { driver: 'file', filename: '/i/mid.qcow2' } }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'top', backing: 'mid', file: { driver: 'file', filename: '/i/top.qcow2' } }],
  ['nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } }],
];

describe('permission conflicts (bdrv_a_allow_b): the newest parent is tried first as "unshared by"', () => {
  it('spec §4.6 example 1: a second qcow2 node on one file node is "unshared by"', () => {
    expect(
      run([
        ['blockdev-add', { driver: 'file', 'node-name': 'g', filename: '/i/g.qcow2' }],
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'q1', file: 'g' }],
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'q2', file: 'g' }],
      ]),
    ).toEqual([
      ok,
      ok,
      error("Permission conflict on node 'g': permissions 'write, resize' are both required by node 'q1' (uses node 'g' as 'file' child) and unshared by node 'q2' (uses node 'g' as 'file' child)."),
    ]);
  });

  it('the reverse: a read-write qcow2 after a read-only one is "required by" (it shares what the old one takes; observed)', () => {
    expect(
      run([
        ['blockdev-add', { driver: 'file', 'node-name': 'g', filename: '/i/g.qcow2' }],
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'q0', file: 'g', 'read-only': true }],
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'q1', file: 'g' }],
      ]),
    ).toEqual([
      ok,
      ok,
      error("Permission conflict on node 'g': permissions 'write, resize' are both required by node 'q1' (uses node 'g' as 'file' child) and unshared by node 'q0' (uses node 'g' as 'file' child)."),
    ]);
  });

  it("spec §4.6 example 2: a mirror's target backend (W, shares only WU) against a writable export", () => {
    expect(
      run([
        ...CHAIN,
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'tgt', backing: null, file: { driver: 'file', filename: '/i/tgt.qcow2' } }],
        ['block-export-add', { type: 'nbd', id: 'e-tgt', 'node-name': 'tgt', writable: true }],
        ['blockdev-mirror', { 'job-id': 'm1', device: 'top', target: 'tgt', sync: 'full', speed: 1 }],
      ]).at(-1),
    ).toEqual(
      error("Permission conflict on node 'tgt': permissions 'consistent read, write' are both required by an unnamed block device (uses node 'tgt' as 'root' child) and unshared by an unnamed block device (uses node 'tgt' as 'root' child)."),
    );
  });

  it("spec §4.6 example 3: a stream job's new intermediate-node edge is \"unshared by\" against a writable export", () => {
    expect(
      run([
        ...CHAIN,
        ['block-export-add', { type: 'nbd', id: 'e-mid', 'node-name': 'mid', writable: true }],
        ['block-stream', { 'job-id': 'j3', device: 'top', 'base-node': 'base', speed: 1 }],
      ]).at(-1),
    ).toEqual(
      error("Permission conflict on node 'mid': permissions 'write' are both required by an unnamed block device (uses node 'mid' as 'root' child) and unshared by stream job 'j3' (uses node 'mid' as 'intermediate node' child)."),
    );
  });

  it('a new read-only export on a commit\'s intermediate node is "required by", the older job edge "unshared by" (observed, d7)', () => {
    const replies = run([
      ['blockdev-add', { driver: 'file', 'node-name': 'base-file', filename: '/i/base.qcow2', 'auto-read-only': true, 'read-only': false }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'base', file: 'base-file', 'read-only': true, backing: null }],
      ['blockdev-add', { driver: 'file', 'node-name': 'mid-file', filename: '/i/mid.qcow2', 'auto-read-only': true, 'read-only': false }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'mid', file: 'mid-file', 'read-only': true, backing: 'base' }],
      ['blockdev-add', { driver: 'file', 'node-name': 'top-file', filename: '/i/top.qcow2', 'auto-read-only': true, 'read-only': false }],
      ['blockdev-add', { driver: 'qcow2', 'node-name': 'top', file: 'top-file', backing: 'mid' }],
      ['nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } }],
      ['block-commit', { 'job-id': 'c1', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 1 }],
      ['block-export-add', { type: 'nbd', id: 'e-base', 'node-name': 'base', writable: true }],
      ['block-export-add', { type: 'nbd', id: 'e-mid', 'node-name': 'mid', writable: false }],
    ]);
    expect(replies.slice(-2)).toEqual([
      error("Permission conflict on node 'base': permissions 'write' are both required by an unnamed block device (uses node 'base' as 'root' child) and unshared by an unnamed block device (uses node 'base' as 'root' child)."),
      error("Permission conflict on node 'mid': permissions 'consistent read' are both required by an unnamed block device (uses node 'mid' as 'root' child) and unshared by commit job 'c1' (uses node 'mid' as 'intermediate node' child)."),
    ]);
  });
});

describe('read-only texts (observed)', () => {
  it('Block node is read-only / Read-only block node ... cannot support read-write users', () => {
    expect(
      run([
        ['blockdev-add', { driver: 'file', 'node-name': 'ro', filename: '/i/ro.img', 'read-only': true }],
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'q-over-ro', file: 'ro' }],
        ['blockdev-add', { driver: 'file', 'node-name': 'f0', filename: '/i/a.img', 'auto-read-only': true, 'read-only': false }],
        ['blockdev-add', { driver: 'raw', 'node-name': 'raw0', file: 'f0' }],
        ['nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } }],
        ['block-export-add', { type: 'nbd', id: 'e1', 'node-name': 'raw0', writable: true }],
        ['blockdev-reopen', { options: [{ driver: 'file', 'node-name': 'f0', filename: '/i/a.img', 'read-only': true }] }],
        ['blockdev-reopen', { options: [{ driver: 'raw', 'node-name': 'raw0', file: 'f0', 'read-only': true }] }],
        ['block-export-add', { type: 'nbd', id: 'e3', 'node-name': 'ro', writable: true }],
        ['block-export-add', { type: 'nbd', id: 'e4', 'node-name': 'coru', writable: false }],
        ['blockdev-add', { driver: 'file', 'node-name': 'u', filename: '/i/ro.img', 'read-only': false }],
      ]),
    ).toEqual([
      ok,
      error('Block node is read-only'),
      ok,
      ok,
      ok,
      ok,
      error("Read-only block node 'f0' cannot support read-write users"),
      error("Read-only block node 'raw0' cannot support read-write users"),
      error('Cannot export read-only node as writable'),
      error("Cannot find device='' nor node-name='coru'"),
      error("Could not open '/i/ro.img': Permission denied"),
    ]);
  });
});

describe('a transcript of qemu-storage-daemon 7.2 (paths shortened), replayed', () => {
  /** [command, arguments, QEMU's reply] in the order they were sent to one daemon. */
  const TRANSCRIPT: [string, Record<string, unknown> | undefined, QmpReply][] = [
    ['blockdev-add', { driver: 'null-co', 'node-name': 'abcdefghijabcdefghijabcdefghijab' }, error('Node name too long')],
    ['blockdev-add', { driver: 'null-co', 'node-name': 'abcdefghijabcdefghijabcdefghija' }, ok],
    ['blockdev-add', { driver: 'null-co' }, error("'node-name' must be specified for the root node")],
    ['blockdev-add', { driver: 'file', 'node-name': 'f0', filename: '/i/a.img' }, ok],
    ['blockdev-add', { driver: 'file', 'node-name': 'f2', filename: '/i/a.img', 'read-only': true }, ok],
    ['blockdev-reopen', { options: [{ driver: 'file', filename: '/i/a.img' }] }, error('node-name not specified')],
    ['blockdev-reopen', { options: [{ driver: 'file', 'node-name': 'f0', filename: '/i/g.qcow2' }] }, error("Cannot change the option 'filename'")],
    ['blockdev-reopen', { options: [{ driver: 'file', 'node-name': 'nosuch', filename: '/i/g.qcow2' }] }, error("Failed to find node with node-name='nosuch'")],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'bq', file: { driver: 'file', filename: '/i/base.qcow2' } }, ok],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'tq', backing: 'bq', file: { driver: 'file', filename: '/i/top.qcow2' } }, ok],
    ['blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'tq', file: { driver: 'file', filename: '/i/top.qcow2' } }] }, error("backing is missing for 'tq'")],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'qr', file: 'f0' }, error('Image is not in qcow2 format')],
    ['blockdev-add', { driver: 'throttle', 'node-name': 't', file: 'f0', 'throttle-group': 'g' }, error("Throttle group 'g' does not exist")],
    ['blockdev-add', { driver: 'throttle', 'node-name': 't', file: 'f0' }, error("Parameter 'throttle-group' is missing")],
    ['block-export-add', { type: 'nbd', id: 'e', 'node-name': 'f0' }, error('NBD server not running')],
    ['nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } }, ok],
    ['nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd2.sock' } } }, error('NBD server already running')],
    ['block-export-add', { type: 'nbd', id: '#e', 'node-name': 'f0' }, error('Invalid block export id')],
    ['block-export-add', { type: 'nbd', id: '', 'node-name': 'f0' }, error('Invalid block export id')],
    ['nope', undefined, { error: { class: 'CommandNotFound', desc: 'The command nope has not been found' } }],
    ['block_resize', { 'node-name': 'f2', size: 2097152 }, error('Image is read-only')],
    ['blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'bq', backing: 'tq', file: { driver: 'file', filename: '/i/base.qcow2' } }] }, error("Making 'tq' a backing child of 'bq' would create a cycle")],
    ['blockdev-add', { driver: 'file', 'node-name': 'fs', filename: '/i/a.img', 'force-share': true }, error('force-share=on can only be used with read-only images')],
    ['blockdev-add', { driver: 'file', 'node-name': 'l0', filename: '/i/g.qcow2' }, ok],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'ql0', file: 'l0' }, ok],
    ['blockdev-add', { driver: 'file', 'node-name': 'l1', filename: '/i/g.qcow2' }, ok],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'ql1', file: 'l1' }, error('Failed to get "write" lock')],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'ql2', file: 'l1', 'read-only': true }, error('Failed to get shared "write" lock')],
    ['block-export-add', { type: 'nbd', id: 'e1', 'node-name': 'f0' }, ok],
    ['block-export-add', { type: 'nbd', id: 'e1', 'node-name': 'f2' }, error("Block export id 'e1' is already in use")],
    ['block-export-add', { type: 'nbd', id: 'e2', 'node-name': 'f0' }, error("NBD server already has export named 'f0'")],
    ['block-export-add', { type: 'nbd', id: 'e3', 'node-name': 'f2', writable: true }, error('Cannot export read-only node as writable')],
    ['block-export-del', { id: 'nosuch' }, error("Export 'nosuch' is not found")],
    ['blockdev-del', { 'node-name': 'f0' }, error('Node f0 is in use')],
    ['blockdev-del', { 'node-name': 'l0' }, error('Block device l0 is in use')],
    ['blockdev-del', { 'node-name': 'nosuch' }, error("Failed to find node with node-name='nosuch'")],
    ['blockdev-add', { driver: 'qcow2', 'node-name': 'q9', file: { driver: 'file', filename: '/i/mid.qcow2', 'node-name': 'q9-file' } }, ok],
    ['blockdev-del', { 'node-name': 'q9-file' }, error('Node q9-file is not owned by the monitor')],
    ['blockdev-add', { driver: 'file', 'node-name': 'f0', filename: '/i/a.img' }, error("Duplicate nodes with node-name='f0'")],
    ['blockdev-add', { driver: 'file', 'node-name': '#bad', filename: '/i/a.img' }, error("Invalid node-name: '#bad'")],
  ];

  it('gives every reply QEMU gave, in order', () => {
    const execute = session();
    const replies = TRANSCRIPT.map(([name, args]) => [name, execute(name, args)]);
    expect(replies).toEqual(TRANSCRIPT.map(([name, , reply]) => [name, reply]));
  });
});

describe('a directory as a file node, on real storage (observed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permgraph-errors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('read-write: open(O_RDWR) fails first; read-only: the regular-file check', () => {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createRealStorage() });
    const add = (args: Record<string, unknown>) => pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'd', filename: dir, ...args } });
    expect(add({})).toEqual(error(`Could not open '${dir}': Is a directory`));
    expect(add({ 'read-only': true })).toEqual(error(`'file' driver requires '${dir}' to be a regular file`));
  });
});
