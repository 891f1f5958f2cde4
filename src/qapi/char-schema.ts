/**
 * qapi/char.json: ChardevBackend as qemu-storage-daemon 7.2 and 10.0.2 take it (both builds with
 * CONFIG_SPICE, CONFIG_SPICE_PROTOCOL, CONFIG_DBUS_DISPLAY and, in 10.0, CONFIG_BRLAPI; 10.0 adds
 * `hub` and pty's `path`, drops `console`, which is CONFIG_WIN32 only).
 */
import { socketAddressLegacy } from './block-schema.js';
import { before, bool, enumOf, enumWith, featured, int, listOf, opt, req, since, str, struct, type Member, type QapiType } from './schema.js';

const KINDS_7_2 = [
  'file', 'serial', 'parallel', 'pipe', 'socket', 'udp', 'pty', 'null', 'mux', 'msmouse', 'wctablet', 'braille',
  'testdev', 'stdio', 'console', 'spicevmc', 'spiceport', 'qemu-vdagent', 'dbus', 'vc', 'ringbuf', 'memory',
];
/** 10.0 deprecates `memory` (an alias of ringbuf). */
const KINDS_10_0 = [
  'file', 'serial', 'parallel', 'pipe', 'socket', 'udp', 'pty', 'null', 'mux', 'hub', 'msmouse', 'wctablet', 'braille',
  'testdev', 'stdio', 'spicevmc', 'spiceport', 'qemu-vdagent', 'dbus', 'vc', 'ringbuf', { name: 'memory', features: ['deprecated'] },
];

/** The backends the daemon has a driver for (query-chardev-backends, newest registered first). */
export const CHARDEV_DRIVERS_7_2 = ['serial', 'mux', 'pipe', 'parallel', 'null', 'ringbuf', 'stdio', 'socket', 'file', 'memory', 'udp', 'pty'];
export const CHARDEV_DRIVERS_10_0 = ['hub', 'serial', 'mux', 'pipe', 'parallel', 'null', 'ringbuf', 'socket', 'stdio', 'memory', 'udp', 'file', 'pty'];

const common: Member[] = [opt('logfile', str), opt('logappend', bool)];
const wrap = (...members: Member[]): Member[] => [req('data', struct(...common, ...members))];
const hostdev = wrap(req('device', str));
const plain = wrap();

const socket = wrap(
  req('addr', socketAddressLegacy), opt('tls-creds', str), opt('tls-authz', str), opt('server', bool), opt('wait', bool),
  opt('nodelay', bool), opt('telnet', bool), opt('tn3270', bool), opt('websocket', bool),
  before(1000, opt('reconnect', int)), since(1000, featured(opt('reconnect', int), 'deprecated')), since(1000, opt('reconnect-ms', int)),
);

export const chardevBackend: QapiType = {
  kind: 'union',
  discriminator: 'type',
  base: [before(1000, req('type', enumOf('ChardevBackendKind', KINDS_7_2))), since(1000, req('type', enumWith('ChardevBackendKind', KINDS_10_0)))],
  variants: {
    file: wrap(opt('in', str), req('out', str), opt('append', bool)),
    serial: hostdev,
    parallel: hostdev,
    pipe: hostdev,
    socket,
    udp: wrap(req('remote', socketAddressLegacy), opt('local', socketAddressLegacy)),
    pty: wrap(since(1000, opt('path', str))),
    null: plain,
    mux: wrap(req('chardev', str)),
    hub: wrap(req('chardevs', listOf(str))),
    msmouse: plain,
    wctablet: plain,
    braille: plain,
    testdev: plain,
    stdio: wrap(opt('signal', bool)),
    console: plain,
    spicevmc: wrap(req('type', str)),
    spiceport: wrap(req('fqdn', str)),
    'qemu-vdagent': wrap(opt('mouse', bool), opt('clipboard', bool)),
    dbus: wrap(req('name', str)),
    vc: wrap(opt('width', int), opt('height', int), opt('cols', int), opt('rows', int)),
    ringbuf: wrap(opt('size', int)),
    memory: wrap(opt('size', int)),
  },
};

export const dataFormat: QapiType = enumOf('DataFormat', ['utf8', 'base64']);
