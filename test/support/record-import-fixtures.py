#!/usr/bin/env python3
"""
Records, on the real qemu-storage-daemon 7.2, the transcripts that `permgraph import` is tested
on (test/import.test.ts), each a block-commit on a chain base <- mid <- top of qcow2 images made
with qemu-img in a scratch directory, each on a fresh daemon:

    python3 test/support/record-import-fixtures.py [--out DIR]

- commit.qmp: a raw transcript, every byte both ways as it crossed the socket (the greeting,
  commands with ids, replies and events interleaved as they came);
- commit-libvirt.log: the same kind of work driven the way libvirt drives it (its node names,
  its `libvirt-N` ids, its compact JSON and CRLF) and written as libvirt's debug log writes it:
  QEMU_MONITOR_SEND_MSG and QEMU_MONITOR_IO_WRITE for what was sent, QEMU_MONITOR_RECV_REPLY and
  QEMU_MONITOR_RECV_EVENT for what came back (the daemon's own lines, unchanged), with
  timestamps, thread ids and the functions and lines of libvirt 6.x's qemu_monitor.c and
  qemu_monitor_json.c;
- commit-qmp-shell.txt: a qmp-shell session as its terminal shows it: the banner, the prompt and
  the command line typed, the reply as qmp-shell prints it (json.dumps) and, after an empty
  line, the events as it prints them (a Python dict's repr).

The images are made under /tmp/permgraph-import/<kind>/ so that the paths in the fixtures stay
the same from one recording to the next. Only the standard library is used.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

from qmp_connect import LineReader, connect

QUIET = 0.3
LIMIT = 10.0
ROOT = '/tmp/permgraph-import'


class Monitor:
    """A QMP connection that keeps every line both ways, in the order they crossed."""

    def __init__(self, path):
        self.sock = connect(path)
        self.lines = LineReader(self.sock)
        self.log = []  # (direction, raw bytes, wall time)
        self.read(time.monotonic() + 10)  # the greeting

    def read(self, deadline):
        """One message (raw line, parsed), or None at the deadline."""
        line = self.lines.line(deadline)
        if line is None:
            return None
        self.log.append(('recv', line + b'\n', time.time()))
        return json.loads(line)

    def send(self, text, ending=b'\n'):
        """Sends one command as text; its reply and the events that came before it."""
        raw = text.encode() + ending
        self.log.append(('send', raw, time.time()))
        self.sock.sendall(raw)
        events = []
        while True:
            msg = self.read(time.monotonic() + LIMIT)
            if msg is None:
                raise TimeoutError(f'no reply to {text}')
            if 'event' in msg:
                events.append(msg)
            else:
                return msg, events

    def settle(self, until=None, before=()):
        """
        The events that come until `until` is seen (among them or the events `before`, those that
        came with the reply) and the daemon is quiet for QUIET seconds.
        """
        events = []
        end = time.monotonic() + LIMIT
        seen = until is None or any(until(m) for m in before)
        while time.monotonic() < end:
            msg = self.read(time.monotonic() + (QUIET if seen else LIMIT))
            if msg is None:
                if seen:
                    break
                continue
            events.append(msg)
            if until and until(msg):
                seen = True
        if not seen:
            raise TimeoutError('an awaited event never came')
        return events


def status_is(job, status):
    return lambda m: m.get('event') == 'JOB_STATUS_CHANGE' and m['data'] == {'status': status, 'id': job}


def run(*argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_chain(work, size):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    img = lambda name: os.path.join(work, f'{name}.qcow2')
    run('qemu-img', 'create', '-f', 'qcow2', img('base'), size)
    run('qemu-img', 'create', '-f', 'qcow2', '-b', img('base'), '-F', 'qcow2', img('mid'))
    run('qemu-img', 'create', '-f', 'qcow2', '-b', img('mid'), '-F', 'qcow2', img('top'))
    return img


def daemon():
    sockdir = tempfile.mkdtemp(prefix='pg-import-')
    sock = os.path.join(sockdir, 'qmp.sock')
    proc = subprocess.Popen(
        ['qemu-storage-daemon', '--chardev', f'socket,path={sock},server=on,wait=off,id=c', '--monitor', 'chardev=c'],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc.sockdir = sockdir
    return proc, Monitor(sock)


def stop(proc):
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(proc.sockdir, ignore_errors=True)


def compact(obj):
    return json.dumps(obj, separators=(',', ':'))


# --- the raw transcript ------------------------------------------------------------------------

def record_raw(out):
    img = make_chain(f'{ROOT}/raw', '16M')
    proc, mon = daemon()
    try:
        n = 0

        def cmd(execute, args=None, **kw):
            nonlocal n
            n += 1
            msg = {'execute': execute}
            if args is not None:
                msg['arguments'] = args
            msg['id'] = n
            return mon.send(json.dumps(msg))

        cmd('qmp_capabilities')
        cmd('blockdev-add', {'driver': 'file', 'node-name': 'base-file', 'filename': img('base'), 'auto-read-only': True})
        cmd('blockdev-add', {'driver': 'qcow2', 'node-name': 'base', 'file': 'base-file', 'read-only': True, 'backing': None})
        cmd('blockdev-add', {'driver': 'file', 'node-name': 'mid-file', 'filename': img('mid'), 'auto-read-only': True})
        cmd('blockdev-add', {'driver': 'qcow2', 'node-name': 'mid', 'file': 'mid-file', 'read-only': True, 'backing': 'base'})
        cmd('blockdev-add', {'driver': 'file', 'node-name': 'top-file', 'filename': img('top')})
        cmd('blockdev-add', {'driver': 'qcow2', 'node-name': 'top', 'file': 'top-file', 'backing': 'mid'})
        cmd('blockdev-add', {'driver': 'qcow2', 'node-name': 'top', 'file': 'top-file'})  # refused: a duplicate
        cmd('query-named-block-nodes', {'flat': True})
        mon.settle(status_is('c1', 'null'), cmd('block-commit', {'job-id': 'c1', 'device': 'top', 'top-node': 'mid', 'base-node': 'base'})[1])
        cmd('query-block-jobs')
        cmd('blockdev-del', {'node-name': 'mid'})
        cmd('blockdev-del', {'node-name': 'mid-file'})
        mon.settle(status_is('c2', 'ready'), cmd('block-commit', {'job-id': 'c2', 'device': 'top'})[1])
        mon.settle(status_is('c2', 'null'), cmd('job-complete', {'id': 'c2'})[1])
        cmd('blockdev-del', {'node-name': 'top'})
        cmd('blockdev-del', {'node-name': 'top-file'})
    finally:
        stop(proc)
    with open(os.path.join(out, 'commit.qmp'), 'wb') as f:
        for _, raw, _ in mon.log:
            f.write(raw)


# --- libvirt's debug log -----------------------------------------------------------------------

MON = '0x7f5c9c0212c0'
VM = '0x7f5c94017a50'
API_THREAD = 24817
LOOP_THREAD = 24806


def stamp(t):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(t)) + f'.{int(t * 1000) % 1000:03d}+0000'


def libvirt_lines(log, name):
    """libvirt's log of what crossed the monitor, as virLogFormatString() writes it."""
    out = []
    for direction, raw, t in log:
        text = raw.decode().rstrip('\r\n')
        head = f'{stamp(t)}: '
        if direction == 'send':
            out.append(f'{head}{API_THREAD}: debug : qemuDomainObjEnterMonitorInternal:9869 : '
                       f'Entering monitor (mon={MON} vm={VM} name={name})\n')
            out.append(f'{head}{API_THREAD}: info : qemuMonitorSend:993 : QEMU_MONITOR_SEND_MSG: '
                       f'mon={MON} msg={text}\r\n fd=-1\n')
            out.append(f'{head}{LOOP_THREAD}: info : qemuMonitorIOWrite:450 : QEMU_MONITOR_IO_WRITE: '
                       f'mon={MON} buf={text}\r\n len={len(raw)} ret={len(raw)} errno=0\n')
            continue
        msg = json.loads(text)
        if 'QMP' in msg:
            continue  # the greeting is read, not logged
        out.append(f'{head}{LOOP_THREAD}: debug : qemuMonitorJSONIOProcessLine:220 : Line [{text}]\n')
        if 'event' in msg:
            out.append(f'{head}{LOOP_THREAD}: info : qemuMonitorJSONIOProcessLine:234 : QEMU_MONITOR_RECV_EVENT: '
                       f'mon={MON} event={text}\n')
        else:
            out.append(f'{head}{LOOP_THREAD}: info : qemuMonitorJSONIOProcessLine:239 : QEMU_MONITOR_RECV_REPLY: '
                       f'mon={MON} reply={text}\n')
            out.append(f'{head}{API_THREAD}: debug : qemuDomainObjExitMonitorInternal:9892 : '
                       f'Exited monitor (mon={MON} vm={VM} name={name})\n')
    return out


def record_libvirt(out):
    img = make_chain(f'{ROOT}/libvirt', '64M')
    proc, mon = daemon()
    try:
        n = 0

        def cmd(execute, args=None):
            nonlocal n
            n += 1
            msg = {'execute': execute}
            if args is not None:
                msg['arguments'] = args
            msg['id'] = f'libvirt-{n}'
            return mon.send(compact(msg), b'\r\n')

        cmd('qmp_capabilities')
        for i, (name, backing) in enumerate((('base', None), ('mid', 'libvirt-1-format'), ('top', 'libvirt-2-format')), 1):
            cmd('blockdev-add', {'driver': 'file', 'filename': img(name), 'node-name': f'libvirt-{i}-storage',
                                 'auto-read-only': True, 'discard': 'unmap'})
            cmd('blockdev-add', {'node-name': f'libvirt-{i}-format', 'read-only': name != 'top', 'driver': 'qcow2',
                                 'file': f'libvirt-{i}-storage', 'backing': backing})
        job = 'commit-vda-libvirt-2-format'
        _, events = cmd('block-commit', {'device': 'libvirt-3-format', 'job-id': job, 'top-node': 'libvirt-2-format',
                                         'base-node': 'libvirt-1-format', 'auto-finalize': True, 'auto-dismiss': False})
        mon.settle(status_is(job, 'concluded'), events)
        cmd('query-jobs')
        cmd('job-dismiss', {'id': job})
        mon.settle()
        cmd('blockdev-del', {'node-name': 'libvirt-2-format'})
        cmd('blockdev-del', {'node-name': 'libvirt-2-storage'})
    finally:
        stop(proc)
    with open(os.path.join(out, 'commit-libvirt.log'), 'w', newline='') as f:
        f.writelines(libvirt_lines(mon.log, 'vm1'))


# --- a qmp-shell session -----------------------------------------------------------------------

def shell_value(text):
    """A value as qmp-shell reads it: an int, true/false in any case, a JSON or Python literal, else a string."""
    try:
        return int(text)
    except ValueError:
        pass
    if text.lower() in ('true', 'false'):
        return text.lower() == 'true'
    if text.startswith(('{', '[')):
        return json.loads(text)
    return text


def shell_command(line):
    name, *pairs = line.split()
    args = {}
    for pair in pairs:
        key, _, value = pair.partition('=')
        *path, leaf = key.split('.')
        parent = args
        for part in path:
            parent = parent.setdefault(part, {})
        parent[leaf] = shell_value(value)
    return {'execute': name, 'arguments': args}


def record_shell(out):
    img = make_chain(f'{ROOT}/qmp-shell', '32M')
    proc, mon = daemon()
    lines = ['Welcome to the QMP low-level shell!\n']
    try:
        mon.send(json.dumps({'execute': 'qmp_capabilities'}))
        greeting = json.loads(mon.log[0][1])
        lines.append('Connected to QEMU {major}.{minor}.{micro}\n\n'.format(**greeting['QMP']['version']['qemu']))
        pending = []

        def typed(line, until=None):
            lines.append(f'(QEMU) {line}\n')
            reply, events = mon.send(json.dumps(shell_command(line)))
            lines.append(json.dumps(reply) + '\n')
            pending.extend(events)
            if until:
                pending.extend(mon.settle(until, events))

        def enter():
            lines.append('(QEMU) \n')
            lines.extend(f'{event!r}\n' for event in pending)
            pending.clear()

        typed(f'blockdev-add driver=qcow2 node-name=base file.driver=file file.node-name=base-file file.filename={img("base")} read-only=true')
        typed(f'blockdev-add driver=qcow2 node-name=mid file.driver=file file.node-name=mid-file file.filename={img("mid")} read-only=true backing=base')
        typed('blockdev-add driver=qcow2 node-name=top file={"driver":"file","filename":"%s","node-name":"top-file"} backing=mid' % img('top'))
        typed('block-commit device=top job-id=c1 top-node=mid base-node=nowhere')
        typed('block-commit device=top job-id=c1 top-node=mid base-node=base speed=0', status_is('c1', 'null'))
        enter()
        typed('block-commit device=top job-id=c2', status_is('c2', 'ready'))
        enter()
        typed('job-complete id=c2', status_is('c2', 'null'))
        enter()
        typed('query-block-jobs')
        lines.append('(QEMU) \n')
    finally:
        stop(proc)
    with open(os.path.join(out, 'commit-qmp-shell.txt'), 'w') as f:
        f.writelines(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'import'))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    record_raw(args.out)
    record_libvirt(args.out)
    record_shell(args.out)


if __name__ == '__main__':
    main()
