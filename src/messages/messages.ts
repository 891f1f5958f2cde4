/**
 * Every error text QEMU 7.2 gives that the simulator reproduces, in one table, with the QEMU
 * function that produces it. Texts of the dynamic model's own are marked as such.
 */
export const msg = {
  // block.c: bdrv_a_allow_b()
  permissionConflict: (node: string, perms: string, requiredBy: string, requiredEdge: string, unsharedBy: string, unsharedEdge: string) =>
    `Permission conflict on node '${node}': permissions '${perms}' are both required by ${requiredBy} (uses node '${node}' as '${requiredEdge}' child) and unshared by ${unsharedBy} (uses node '${node}' as '${unsharedEdge}' child).`,
  // block.c: bdrv_node_refresh_perm()
  nodeReadOnly: () => 'Block node is read-only',
  readOnlyWithWriters: (node: string) => `Read-only block node '${node}' cannot support read-write users`,
  // util/osdep.c via file-posix.c: raw_open_common(), raw_reconfigure_getfd()
  couldNotOpen: (filename: string, errno: string) => `Could not open '${filename}': ${errno}`,
  notRegularFile: (filename: string) => `'file' driver requires '${filename}' to be a regular file`,
  // file-posix.c: raw_check_lock_bytes()
  lockFailed: (perm: string) => `Failed to get "${perm}" lock`,
  sharedLockFailed: (perm: string) => `Failed to get shared "${perm}" lock`,
  // util/qemu-option.c: parse_option_size(), as raw and null-co read their options
  optionNotASize: (name: string) => `Parameter '${name}' expects a non-negative number below 2^64`,
  // block.c: bdrv_open_common()
  forceShareReadWrite: () => 'force-share=on can only be used with read-only images',
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
  throttleGroupMissing: (group: string) => `Throttle group '${group}' does not exist`,
  throttleGroupRequired: () => 'Parameter \'throttle-group\' is missing',
  imageReadOnly: () => 'Image is read-only',
  // qapi/qobject-input-visitor.c
  missingParameter: (name: string) => `Parameter '${name}' is missing`,
  invalidParameterType: (name: string, expected: string) => `Invalid parameter type for '${name}', expected: ${expected}`,
  // qapi/qobject-input-visitor.c: qobject_input_type_uint64(); qapi-visit-core.c: visit_type_uintN()
  expectsUint64: (name: string) => `Parameter '${name}' expects uint64`,
  expectsUint32: (name: string) => `Parameter '${name}' expects uint32_t`,
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

  // The dynamic model's own: a writer's reopen that the storage refuses.
  dynamicReopenFailed: (node: string, filename: string, errno: string) =>
    `Cannot reopen node '${node}' read-write for a writer: could not open '${filename}': ${errno}`,
} as const;
