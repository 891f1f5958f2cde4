/**
 * ObjectOptions (qapi/qom.json): object-add's arguments, every object type the daemons' builds
 * know, as QEMU 7.2 has them; what 10.0 added is tagged `since(1000, …)`, what it dropped or moved
 * `before(1000, …)`. permgraph keeps any object it is given (src/commands/objects.ts); the block
 * layer uses throttle-group and iothread. Integer members are `int` but for the inet addresses' `to` (uint16).
 */
import { bool, enumOf, enumWith, featured, int, listOf, opt, req, size, since, before, str, struct, type Member, type QapiType } from './schema.js';
import { socketAddress } from './socket-schema.js';

const objectType = enumWith('ObjectType', [
  { name: 'acpi-generic-initiator', since: 1000 }, { name: 'acpi-generic-port', since: 1000 },
  'authz-list', 'authz-listfile', 'authz-pam', 'authz-simple', 'can-bus', 'can-host-socketcan', 'colo-compare',
  'cryptodev-backend', 'cryptodev-backend-builtin', 'cryptodev-backend-lkcf', 'cryptodev-vhost-user', 'dbus-vmstate',
  'filter-buffer', 'filter-dump', 'filter-mirror', 'filter-redirector', 'filter-replay', 'filter-rewriter',
  'input-barrier', 'input-linux', { name: 'iommufd', since: 1000 }, 'iothread', 'main-loop', 'memory-backend-epc',
  'memory-backend-file', 'memory-backend-memfd', 'memory-backend-ram', { name: 'memory-backend-shm', since: 1000 },
  'pef-guest', 'pr-manager-helper', 'qtest', 'rng-builtin', 'rng-egd', 'rng-random', 'secret', 'secret_keyring',
  'sev-guest', { name: 'sev-snp-guest', since: 1000 }, 'thread-context', 's390-pv-guest', 'throttle-group',
  'tls-creds-anon', 'tls-creds-psk', 'tls-creds-x509', 'tls-cipher-suites',
  { name: 'x-remote-object', features: ['unstable'] }, { name: 'x-vfio-user-server', features: ['unstable'] },
]);

const onOffAuto = enumOf('OnOffAuto', ['auto', 'on', 'off']);
const authzPolicy = enumOf('QAuthZListPolicy', ['deny', 'allow']);

/** NetfilterProperties: what every filter-* takes first. */
const netfilter: Member[] = [
  req('netdev', str), opt('queue', enumOf('NetFilterDirection', ['all', 'rx', 'tx'])), opt('status', str), opt('position', str),
  opt('insert', enumOf('NetfilterInsert', ['before', 'behind'])),
];

const cryptodev: Member[] = [opt('queues', int), since(1000, opt('throttle-bps', int)), since(1000, opt('throttle-ops', int))];
const eventLoop: Member[] = [opt('aio-max-batch', int), opt('thread-pool-min', int), opt('thread-pool-max', int)];

/** MemoryBackendProperties. */
const memoryBackend: Member[] = [
  opt('dump', bool), opt('host-nodes', listOf(int)), opt('merge', bool),
  opt('policy', enumOf('HostMemPolicy', ['default', 'preferred', 'bind', 'interleave'])), opt('prealloc', bool),
  opt('prealloc-threads', int), opt('prealloc-context', str), opt('share', bool), opt('reserve', bool), req('size', size),
  opt('x-use-canonical-path-for-ramblock-id', bool),
];

const rngOpened = featured(opt('opened', bool), 'deprecated');
const secretCommon: Member[] = [
  before(1000, featured(opt('loaded', bool), 'deprecated')), opt('format', enumOf('QCryptoSecretFormat', ['raw', 'base64'])),
  opt('keyid', str), opt('iv', str),
];
const tlsCreds: Member[] = [
  opt('verify-peer', bool), opt('dir', str), opt('endpoint', enumOf('QCryptoTLSCredsEndpoint', ['client', 'server'])), opt('priority', str),
];
const tlsLoaded = before(1000, featured(opt('loaded', bool), 'deprecated'));

/** SevCommonProperties and sev-guest's own, in 7.2's order and in 10.0's. */
const sev72: Member[] = [
  opt('sev-device', str), opt('dh-cert-file', str), opt('session-file', str), opt('policy', int), opt('handle', int),
  opt('cbitpos', int), req('reduced-phys-bits', int), opt('kernel-hashes', bool),
];
const sevCommon: Member[] = [opt('sev-device', str), opt('cbitpos', int), req('reduced-phys-bits', int), opt('kernel-hashes', bool)];
const sev10: Member[] = [
  ...sevCommon, opt('dh-cert-file', str), opt('session-file', str), opt('policy', int), opt('handle', int), opt('legacy-vm-type', onOffAuto),
];

/** ThrottleLimits. */
export const throttleLimits = struct(
  ...['iops-total', 'iops-total-max', 'iops-total-max-length', 'iops-read', 'iops-read-max', 'iops-read-max-length',
    'iops-write', 'iops-write-max', 'iops-write-max-length', 'bps-total', 'bps-total-max', 'bps-total-max-length',
    'bps-read', 'bps-read-max', 'bps-read-max-length', 'bps-write', 'bps-write-max', 'bps-write-max-length', 'iops-size'].map((name) => opt(name, int)),
);


const cryptodevMembers = cryptodev;
const memoryRam = memoryBackend;

export const objectOptions: QapiType = {
  kind: 'union',
  discriminator: 'qom-type',
  base: [req('qom-type', objectType), req('id', str)],
  variants: {
    'acpi-generic-initiator': [req('pci-dev', str), req('node', int)],
    'acpi-generic-port': [req('pci-bus', str), req('node', int)],
    'authz-list': [opt('policy', authzPolicy), opt('rules', listOf(struct(req('match', str), req('policy', authzPolicy), opt('format', enumOf('QAuthZListFormat', ['exact', 'glob'])))))],
    'authz-listfile': [req('filename', str), opt('refresh', bool)],
    'authz-pam': [req('service', str)],
    'authz-simple': [req('identity', str)],
    'can-host-socketcan': [req('if', str), req('canbus', str)],
    'colo-compare': [
      req('primary_in', str), req('secondary_in', str), req('outdev', str), req('iothread', str), opt('notify_dev', str),
      opt('compare_timeout', int), opt('expired_scan_cycle', int), opt('max_queue_size', int), opt('vnet_hdr_support', bool),
    ],
    'cryptodev-backend': cryptodevMembers,
    'cryptodev-backend-builtin': cryptodevMembers,
    'cryptodev-backend-lkcf': cryptodevMembers,
    'cryptodev-vhost-user': [...cryptodev, req('chardev', str)],
    'dbus-vmstate': [req('addr', str), opt('id-list', str)],
    'filter-buffer': [...netfilter, req('interval', int)],
    'filter-dump': [...netfilter, req('file', str), opt('maxlen', int)],
    'filter-mirror': [...netfilter, req('outdev', str), opt('vnet_hdr_support', bool)],
    'filter-redirector': [...netfilter, opt('indev', str), opt('outdev', str), opt('vnet_hdr_support', bool)],
    'filter-replay': netfilter,
    'filter-rewriter': [...netfilter, opt('vnet_hdr_support', bool)],
    'input-barrier': [req('name', str), opt('server', str), opt('port', str), opt('x-origin', str), opt('y-origin', str), opt('width', str), opt('height', str)],
    'input-linux': [
      req('evdev', str), opt('grab_all', bool), opt('repeat', bool),
      opt('grab-toggle', enumOf('GrabToggleKeys', ['ctrl-ctrl', 'alt-alt', 'shift-shift', 'meta-meta', 'scrolllock', 'ctrl-scrolllock'])),
    ],
    iommufd: [opt('fd', str)],
    iothread: [...eventLoop, opt('poll-max-ns', int), opt('poll-grow', int), opt('poll-shrink', int)],
    'main-loop': eventLoop,
    'memory-backend-epc': memoryRam,
    'memory-backend-file': [
      ...memoryBackend, opt('align', size), since(1000, opt('offset', size)), opt('discard-data', bool), req('mem-path', str),
      opt('pmem', bool), opt('readonly', bool), since(1000, opt('rom', onOffAuto)),
    ],
    'memory-backend-memfd': [...memoryBackend, opt('hugetlb', bool), opt('hugetlbsize', size), opt('seal', bool)],
    'memory-backend-ram': memoryRam,
    'memory-backend-shm': memoryRam,
    'pr-manager-helper': [req('path', str)],
    qtest: [req('chardev', str), opt('log', str)],
    'rng-builtin': [rngOpened],
    'rng-egd': [rngOpened, req('chardev', str)],
    'rng-random': [rngOpened, opt('filename', str)],
    secret: [...secretCommon, opt('data', str), opt('file', str)],
    secret_keyring: [...secretCommon, req('serial', int)],
    'sev-guest': [...sev72.map((m) => before(1000, m)), ...sev10.map((m) => since(1000, m))],
    'sev-snp-guest': [
      ...sevCommon, opt('policy', int), opt('guest-visible-workarounds', str), opt('id-block', str), opt('id-auth', str),
      opt('author-key-enabled', bool), opt('host-data', str), opt('vcek-disabled', bool),
    ],
    'thread-context': [opt('cpu-affinity', listOf(int)), opt('node-affinity', listOf(int))],
    'throttle-group': [
      opt('limits', throttleLimits),
      ...['x-iops-total', 'x-iops-total-max', 'x-iops-total-max-length', 'x-iops-read', 'x-iops-read-max',
        'x-iops-read-max-length', 'x-iops-write', 'x-iops-write-max', 'x-iops-write-max-length',
        'x-bps-total', 'x-bps-total-max', 'x-bps-total-max-length', 'x-bps-read', 'x-bps-read-max',
        'x-bps-read-max-length', 'x-bps-write', 'x-bps-write-max', 'x-bps-write-max-length',
        'x-iops-size'].map((name) => featured(opt(name, int), 'unstable')),
    ],
    'tls-creds-anon': [...tlsCreds, tlsLoaded],
    'tls-creds-psk': [...tlsCreds, tlsLoaded, opt('username', str)],
    'tls-creds-x509': [...tlsCreds, tlsLoaded, opt('sanity-check', bool), opt('passwordid', str)],
    'tls-cipher-suites': tlsCreds,
    'x-remote-object': [req('fd', str), req('devid', str)],
    'x-vfio-user-server': [req('socket', socketAddress), req('device', str)],
  },
};
