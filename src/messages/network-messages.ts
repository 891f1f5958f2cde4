/**
 * The error texts of the block drivers that need a server (block/curl.c, block/ssh.c,
 * block/nfs.c, block/rbd.c, block/iscsi.c, block/gluster.c, block/nvme.c and the libraries they
 * quote: libcurl, libnfs, libiscsi, util/qemu-sockets.c, util/vfio-helpers.c) and of QEMU 10.0's
 * module loader, each with its QEMU function; part of the one table `msg` (src/messages/messages.ts).
 */
export const networkMessages = {
  // block.c: bdrv_fill_options() (a driver whose module did not load)
  unknownDriver: (driver: string) => `Unknown driver '${driver}'`,
  // block/curl.c: curl_open()
  curlNoWrites: () => 'curl driver does not support writes',
  curlReadaheadNotSector: (size: string) => `HTTP_READAHEAD_SIZE ${size} is not a multiple of 512`,
  curlTimeoutTooLarge: () => 'timeout parameter is too large or negative',
  curlCookieAndSecret: () => 'curl driver cannot handle both cookie and cookie secret',
  curlWrongProtocol: (protocol: string, url: string) => `${protocol} curl driver cannot handle the URL '${url}' (does not start with '${protocol}://')`,
  curlOpenFailed: (why: string) => `CURL: Error opening file: ${why}`,
  // libcurl's error buffer (CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST)
  curlCouldNotConnect: (host: string, port: string) => `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`,
  curlCouldNotResolve: (host: string) => `Could not resolve host: ${host}`,
  // block/ssh.c: connect_to_ssh()
  sshNumericPort: () => 'Use only numeric port value',
  // util/qemu-sockets.c: inet_connect_saddr(), inet_connect_addr()
  inetResolveFailed: (host: string, port: string, why: string) => `address resolution failed for ${host}:${port}: ${why}`,
  inetConnectFailed: (host: string, port: string, why: string) => `Failed to connect to '${host}:${port}': ${why}`,
  // block/nfs.c: nfs_client_open()
  nfsInvalidUrl: () => 'Invalid URL specified',
  nfsCacheDirect: (what: 'readahead' | 'pagecache') => `Cannot enable NFS ${what} if cache.direct = on`,
  nfsMountFailed: (why: string) => `Failed to mount nfs share: ${why}`,
  // libnfs: nfs_mount()'s error for a server that does not answer, and for a name it cannot resolve
  nfsServiceFailed: () => 'nfs_service failed',
  nfsUnresolved: (host: string) =>
    `nfs_mount_async failed. Failed to start connection. Failed to start connection. Invalid address:${host}. Can not resolv into IPv4/v6 structure.`,
  // block/rbd.c: qemu_rbd_connect()
  rbdConfFile: (path: string, why: string) => `error reading conf file ${path}: ${why}`,
  rbdConnect: (why: string) => `error connecting: ${why}`,
  // block/iscsi.c: apply_chap(), iscsi_open()
  iscsiChapNoPassword: () => 'CHAP username specified but no password was given',
  iscsiConnectFailed: (why: string) => `iSCSI: Failed to connect to LUN : ${why}`,
  // libiscsi: iscsi_get_error() after iscsi_full_connect_sync()
  iscsiServiceFailed: () => 'iscsi_service failed with : iscsi_service_reconnect_if_loggedin. Can not reconnect right now.\n',
  iscsiUnresolved: (portal: string) => `Failed to start full connect Invalid target:${portal}  Can not resolv into IPv4/v6.`,
  iscsiIserFailed: () => "Failed to start full connect Couldn't connect transport: Failed creating Event Channel\n",
  // block/gluster.c: qemu_gluster_parse_json(), qemu_gluster_glfs_init()
  glusterToUnsupported: () => "Parameter 'to' not supported",
  glusterIpUnsupported: () => "Parameters 'ipv4/ipv6' not supported",
  glusterInvalidPort: (port: string) => `'${port}' is not a valid port number`,
  glusterConnectFailed: (volume: string, path: string) => `Gluster connection for volume ${volume}, path ${path} failed to connect`,
  // util/vfio-helpers.c: qemu_vfio_init_pci()
  vfioOpenFailed: (why: string) => `Failed to open /dev/vfio/vfio: ${why}`,
  // permgraph's own: a server whose answer cannot be told here (any host but 127.0.0.1 or a name in .invalid)
  networkNotSimulated: (driver: string, what: string) => `Driver '${driver}' with ${what} is not simulated by permgraph`,
};

/** The texts of vvfat (block/vvfat.c), which needs no server but opens a host directory. */
export const vvfatMessages = {
  // block/vvfat.c: vvfat_open()
  vvfatLabelTooLong: () => 'vvfat label cannot be longer than 11 bytes',
  vvfatFatType: () => 'Valid FAT types are only 12, 16 and 32',
  vvfatRwReadOnly: () => "Unable to set VVFAT to 'rw' when drive is read-only",
  // block/vvfat.c: init_directories()
  vvfatCannotReadDirectory: (path: string) => `Could not read directory ${path}`,
  // permgraph's own: rw's write target is a qcow image in a temporary file of the host (enable_write_target())
  vvfatWriteTargetNotSimulated: () => "vvfat's write target (rw on a node opened read-write) is not simulated by permgraph",
};
