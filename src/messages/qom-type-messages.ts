/** The texts of qom-list-types and qom-list-properties (src/commands/qom-types.ts). */
export const qomTypeMessages = {
  // qom/qom-qmp-cmds.c: qmp_qom_list_properties() (DeviceNotFound)
  qomClassNotFound: (typename: string) => `Class '${typename}' not found`,
  // qom/qom-qmp-cmds.c: qmp_qom_list_properties() (QERR_INVALID_PARAMETER_VALUE)
  qomNotAQomType: () => "Parameter 'typename' expects a QOM type",
  // permgraph's own: a type whose instance QEMU 7.2 cannot finalize (the daemon aborts)
  qomListPropertiesAborts: (typename: string) =>
    `qom-list-properties of '${typename}' makes qemu-storage-daemon abort; not simulated by permgraph`,
} as const;
