#!/usr/bin/env python3
"""
Records the QOM types QEMU builds into each real qemu-storage-daemon, the data of permgraph's
qom-list-types and qom-list-properties (src/commands/qom-types-<release>.ts):

    python3 test/support/record-qom-types.py [--out DIR] [--only 7.2|10.0 [--binary QSD]]

Each file exports {"types": [...], "properties": {...}, "aborts": [...]}: every type in the order qom-list-types
lists it (name, parent, abstract, and `implements`: the interfaces it has besides its parents'
chain, from qom-list-types' own `implements` filter), and qom-list-properties' answer for each.
Only the standard library is used.
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


def ask(sock, lines, execute, arguments=None):
    """The `return` of one command (events on the way are skipped)."""
    command = {'execute': execute}
    if arguments is not None:
        command['arguments'] = arguments
    sock.sendall(json.dumps(command).encode() + b'\n')
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


def chain(types, name):
    """A type and its parents."""
    parents = {t['name']: t.get('parent') for t in types}
    out = []
    while name is not None:
        out.append(name)
        name = parents.get(name)
    return out


def collect_types(sock, lines):
    types = ask(sock, lines, 'qom-list-types', {'abstract': True})
    concrete = [t['name'] for t in ask(sock, lines, 'qom-list-types')]
    if concrete != [t['name'] for t in types if not t.get('abstract')]:
        raise RuntimeError('qom-list-types without abstract types is not in the same order')
    implementers = {t['name']: ask(sock, lines, 'qom-list-types', {'implements': t['name'], 'abstract': True}) for t in types}
    out = []
    for t in types:
        own = set(chain(types, t['name']))
        extra = [i for i in sorted(implementers) if i not in own and any(x['name'] == t['name'] for x in implementers[i])]
        # only those not implied by another listed interface's chain
        implied = {p for i in extra for p in chain(types, i)[1:]}
        entry = {'name': t['name']}
        if 'parent' in t:
            entry['parent'] = t['parent']
        if t.get('abstract'):
            entry['abstract'] = True
        interfaces = [i for i in extra if i not in implied]
        if interfaces:
            entry['implements'] = interfaces
        out.append(entry)
    for name, listed in implementers.items():
        if [t['name'] for t in listed] != [t['name'] for t in out if implements(out, t['name'], name)]:
            raise RuntimeError(f'implements {name}: the parent and interface chains do not give the daemon\'s answer')
    return out


def implements(types, name, target):
    """object_class_dynamic_cast(): to an interface type, through exactly one of the class's
    interfaces (its own and its parents'); else through the type's parent chain."""
    by_name = {t['name']: t for t in types}
    interfaces = {i for c in chain(types, name) for i in by_name[c].get('implements', [])}
    if interfaces and 'interface' in chain(types, target):
        return sum(target in chain(types, i) for i in interfaces) == 1
    return target in chain(types, name)


def session(binary, scratch, work):
    """work(sock, lines) on a fresh daemon."""
    path = os.path.join(scratch, 'qmp.sock')
    daemon = subprocess.Popen([binary, '--chardev', f'socket,id=m,path={path},server=on,wait=off', '--monitor', 'chardev=m'],
                              stderr=subprocess.DEVNULL)
    try:
        sock = connect(path)
        lines = LineReader(sock)
        lines.line(time.monotonic() + 10)  # the greeting
        ask(sock, lines, 'qmp_capabilities')
        result = work(sock, lines)
        sock.close()
        return result
    finally:
        daemon.terminate()
        daemon.wait(10)


def record(binary):
    """The types, and each one's properties; a type whose qom-list-properties ends the daemon
    (QEMU asserts in some types' finalize) is listed under `aborts` and a fresh daemon goes on."""
    with tempfile.TemporaryDirectory() as scratch:
        types = session(binary, scratch, collect_types)
        properties = {}
        aborts = []
        pending = [t['name'] for t in types]

        def work(sock, lines):
            while pending:
                name = pending[0]
                try:
                    properties[name] = ask(sock, lines, 'qom-list-properties', {'typename': name})
                except RuntimeError as error:
                    # an interface: not an `object` (object_class_dynamic_cast(klass, TYPE_OBJECT))
                    if 'object' in chain(types, name) or "expects a QOM type" not in str(error):
                        raise
                pending.pop(0)

        while pending:
            try:
                session(binary, scratch, work)
            except (ConnectionError, TimeoutError):
                aborts.append(pending.pop(0))
    return {'types': types, 'properties': properties, 'aborts': aborts}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument('--out', default=os.path.join(here, '..', '..', 'src', 'commands'))
    parser.add_argument('--only', choices=sorted(DAEMONS))
    parser.add_argument('--binary', help="the daemon to ask (with --only; else each release's own)")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    for release, binary in DAEMONS.items():
        if options.only and options.only != release:
            continue
        data = record(options.binary if options.only and options.binary else binary)
        out = os.path.join(options.out, f'qom-types-{release}.ts')
        with open(out, 'w') as f:
            f.write(f'/** QEMU {release}\'s QOM types, as test/support/record-qom-types.py recorded them. */\n')
            f.write("import type { QomTypeData } from './qom-type-data.js';\n\n")
            f.write(f'export const QOM_TYPES: QomTypeData = {json.dumps(data, separators=(",", ":"))};\n')
        print(f'{out}: {len(data["types"])} types')


if __name__ == '__main__':
    main()
