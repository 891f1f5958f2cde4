/**
 * qemu-storage-daemon's command line as its getopt_long() reads it (storage-daemon/
 * qemu-storage-daemon.c, QEMU 7.2): the options in the order given, with getopt's own error
 * texts for an unknown option or a missing argument. What each option means is qsd-command.ts's.
 */

/** The daemon's options: those that take an argument, and those that do not. */
const LONG_WITH_ARGUMENT = ['blockdev', 'chardev', 'export', 'monitor', 'nbd-server', 'object', 'pidfile', 'trace'] as const;
const LONG_WITHOUT = ['help', 'version', 'daemonize'] as const;
const SHORT: Readonly<Record<string, { readonly name: QsdOptionName; readonly argument: boolean }>> = {
  h: { name: 'help', argument: false },
  V: { name: 'version', argument: false },
  T: { name: 'trace', argument: true },
};

export type QsdOptionName = (typeof LONG_WITH_ARGUMENT)[number] | (typeof LONG_WITHOUT)[number];

export interface QsdOption {
  readonly name: QsdOptionName;
  /** The argument as given (`--blockdev ARG`, `--blockdev=ARG`). */
  readonly argument?: string;
}

/** The options in order, or getopt's complaint (printed after `qemu-storage-daemon: `). */
export function parseQsdArgs(argv: readonly string[]): QsdOption[] | string {
  const out: QsdOption[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if ((LONG_WITHOUT as readonly string[]).includes(name)) {
        if (eq >= 0) return `option '--${name}' doesn't allow an argument`;
        out.push({ name: name as QsdOptionName });
      } else if ((LONG_WITH_ARGUMENT as readonly string[]).includes(name)) {
        const argument = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
        if (argument === undefined) return `option '--${name}' requires an argument`;
        out.push({ name: name as QsdOptionName, argument });
      } else {
        return `unrecognized option '${eq < 0 ? arg : arg.slice(0, eq)}'`;
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const short = SHORT[arg[j]!];
        if (!short) return `invalid option -- '${arg[j]}'`;
        if (!short.argument) {
          out.push({ name: short.name });
          continue;
        }
        const argument = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
        if (argument === undefined) return `option requires an argument -- '${arg[j]}'`;
        out.push({ name: short.name, argument });
        break;
      }
    } else {
      return `${arg}: Unexpected argument`;
    }
  }
  return out;
}

/** `qemu-storage-daemon --help`, word for word. */
export const QSD_HELP = `Usage: qemu-storage-daemon [options]
QEMU storage daemon

  -h, --help             display this help and exit
  -T, --trace [[enable=]<pattern>][,events=<file>][,file=<file>]
                         specify tracing options
  -V, --version          output version information and exit

  --blockdev [driver=]<driver>[,node-name=<N>][,discard=ignore|unmap]
             [,cache.direct=on|off][,cache.no-flush=on|off]
             [,read-only=on|off][,auto-read-only=on|off]
             [,force-share=on|off][,detect-zeroes=on|off|unmap]
             [,driver specific parameters...]
                         configure a block backend

  --chardev <options>    configure a character device backend
                         (see the qemu(1) man page for possible options)

  --daemonize            daemonize the process, and have the parent exit
                         once startup is complete

  --export [type=]nbd,id=<id>,node-name=<node-name>[,name=<export-name>]
           [,writable=on|off][,bitmap=<name>]
                         export the specified block node over NBD
                         (requires --nbd-server)

  --export [type=]fuse,id=<id>,node-name=<node-name>,mountpoint=<file>
           [,growable=on|off][,writable=on|off][,allow-other=on|off|auto]
                         export the specified block node over FUSE

  --export [type=]vhost-user-blk,id=<id>,node-name=<node-name>,
           addr.type=unix,addr.path=<socket-path>[,writable=on|off]
           [,logical-block-size=<block-size>][,num-queues=<num-queues>]
                         export the specified block node as a
                         vhost-user-blk device over UNIX domain socket
  --export [type=]vhost-user-blk,id=<id>,node-name=<node-name>,
           addr.type=fd,addr.str=<fd>[,writable=on|off]
           [,logical-block-size=<block-size>][,num-queues=<num-queues>]
                         export the specified block node as a
                         vhost-user-blk device over file descriptor

  --export [type=]vduse-blk,id=<id>,node-name=<node-name>
           ,name=<vduse-name>[,writable=on|off]
           [,num-queues=<num-queues>][,queue-size=<queue-size>]
           [,logical-block-size=<logical-block-size>]
           [,serial=<serial-number>]
                         export the specified block node as a
                         vduse-blk device

  --monitor [chardev=]name[,mode=control][,pretty[=on|off]]
                         configure a QMP monitor

  --nbd-server addr.type=inet,addr.host=<host>,addr.port=<port>
               [,tls-creds=<id>][,tls-authz=<id>][,max-connections=<n>]
  --nbd-server addr.type=unix,addr.path=<path>
               [,tls-creds=<id>][,tls-authz=<id>][,max-connections=<n>]
                         start an NBD server for exporting block nodes

  --object help          list object types that can be added
  --object <type>,help   list properties for the given object type
  --object <type>[,<property>=<value>...]
                         create a new object of type <type>, setting
                         properties in the order they are specified. Note
                         that the 'id' property must be set.
                         See the qemu(1) man page for documentation of the
                         objects that can be added.

  --pidfile <path>       write process ID to a file after startup

See <https://qemu.org/contribute/report-a-bug> for how to report bugs.
More information on the QEMU project at <https://qemu.org>.
`;
