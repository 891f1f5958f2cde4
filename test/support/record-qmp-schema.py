#!/usr/bin/env python3
"""
Records what each real qemu-storage-daemon answers to query-commands and query-qmp-schema, the
fixtures that permgraph's own introspection is compared with (test/introspect.test.ts):

    python3 test/support/record-qmp-schema.py [--out DIR] [--only 7.2|10.0 [--binary QSD]]

- qemu-7.2.json: `qemu-storage-daemon` on PATH;
- qemu-10.0.json: /opt/qemu-10.0/root/usr/bin/qemu-storage-daemon.

Each fixture holds {"qemu": query-version's qemu, "commands": query-commands, "schema":
query-qmp-schema}, as the daemon answered them. Only the standard library is used.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

from qmp_connect import LineReader, connect

DAEMONS = {
    '7.2': 'qemu-storage-daemon',
    '10.0': '/opt/qemu-10.0/root/usr/bin/qemu-storage-daemon',
}


def ask(sock, lines, execute):
    """The `return` of one command (events on the way are skipped)."""
    sock.sendall(json.dumps({'execute': execute}).encode() + b'\n')
    deadline = time.monotonic() + 30
    while True:
        line = lines.line(deadline)
        if line is None:
            raise TimeoutError(f'no reply to {execute}')
        message = json.loads(line)
        if 'return' in message:
            return message['return']
        if 'error' in message:
            raise RuntimeError(f'{execute}: {message["error"]}')


def record(binary):
    """query-version, query-commands and query-qmp-schema of a fresh daemon."""
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, 'qmp.sock')
        daemon = subprocess.Popen([binary, '--chardev', f'socket,id=m,path={path},server=on,wait=off', '--monitor', 'chardev=m'])
        try:
            sock = connect(path)
            lines = LineReader(sock)
            lines.line(time.monotonic() + 10)  # the greeting
            ask(sock, lines, 'qmp_capabilities')
            version = ask(sock, lines, 'query-version')
            commands = ask(sock, lines, 'query-commands')
            schema = ask(sock, lines, 'query-qmp-schema')
            sock.close()
        finally:
            daemon.terminate()
            daemon.wait(10)
    return {'qemu': version['qemu'], 'commands': commands, 'schema': schema}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument('--out', default=os.path.join(here, '..', 'fixtures', 'qmp-schema'))
    parser.add_argument('--only', choices=sorted(DAEMONS))
    parser.add_argument('--binary', help="the daemon to ask (with --only; else each release's own)")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    for release, binary in DAEMONS.items():
        if options.only and options.only != release:
            continue
        fixture = record(options.binary if options.only and options.binary else binary)
        out = os.path.join(options.out, f'qemu-{release}.json')
        with open(out, 'w') as f:
            json.dump(fixture, f, indent=1)
            f.write('\n')
        print(f'{out}: {len(fixture["commands"])} commands, {len(fixture["schema"])} schema entries')


if __name__ == '__main__':
    main()
