/**
 * The error texts of QEMU's character devices and QOM commands (chardev/char.c,
 * chardev/char-ringbuf.c, util/base64.c, qom/qom-qmp-cmds.c), each with its QEMU function; part of
 * the one table `msg` (src/messages/messages.ts).
 */
export const chardevMessages = {
  // chardev/char.c: qmp_chardev_add()
  chardevExists: (id: string) => `Chardev with id '${id}' already exists`,
  chardevAddFailed: (id: string, why: string) => `Failed to add chardev '${id}': ${why}`,
  // chardev/char.c: char_get_class()
  notACharDriver: (name: string) => `'${name}' is not a valid char driver name`,
  // chardev/char-ringbuf.c: qemu_chr_open_ringbuf()
  ringbufSizeNotPowerOfTwo: () => 'size of ringbuf chardev must be power of two',
  // chardev/char.c: qmp_chardev_change()
  chardevDoesNotExist: (id: string) => `Chardev '${id}' does not exist`,
  chardevNoHotswap: () => 'Chardev user does not support chardev hotswap',
  // chardev/char.c: qmp_chardev_remove(), qmp_chardev_send_break()
  chardevNotFound: (id: string) => `Chardev '${id}' not found`,
  chardevBusy: (id: string) => `Chardev '${id}' is busy`,
  // chardev/char-ringbuf.c: qmp_ringbuf_write(), qmp_ringbuf_read()
  ringbufDeviceNotFound: (device: string) => `Device '${device}' not found`,
  notARingbuf: (device: string) => `${device} is not a ringbuf device`,
  ringbufReadSizeNotPositive: () => 'size must be greater than zero',
  // util/base64.c: qbase64_decode()
  base64InvalidCharacters: () => 'Base64 data contains invalid characters',
  // qom/qom-qmp-cmds.c: qmp_qom_list(), qmp_qom_get(), qmp_qom_set()
  qomDeviceNotFound: (path: string) => `Device '${path}' not found`,
  qomPathAmbiguous: (path: string) => `Path '${path}' is ambiguous`,
  // qom/object.c: object_property_find_err(), object_property_set()
  qomPropertyNotFound: (type: string, name: string) => `Property '${type}.${name}' not found`,
  qomNotWritable: (type: string, name: string) => `Property '${type}.${name}' is not writable`,
  // block/throttle-groups.c: throttle_group_set(), once the group is complete
  qomSetAfterInit: () => 'Property cannot be set after initialization',
  // permgraph's own: a QOM property whose value is not simulated
  qomValueNotSimulated: (type: string, name: string) => `The value of property '${type}.${name}' is not simulated by permgraph`,
  // permgraph's own: a backend the daemon has that is not simulated
  chardevNotSimulated: (kind: string, simulated: readonly string[]) =>
    `Chardev backend '${kind}' is not simulated by permgraph (simulated: ${simulated.join(', ')})`,
} as const;
