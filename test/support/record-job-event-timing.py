#!/usr/bin/env python3
"""
Records, on the real qemu-storage-daemon 7.2, which QMP events each block job command sends
before its reply and which after it, for every job command in every status that accepts it, and
writes them as test/fixtures/job-event-timing.json (checked by test/job-event-timing.test.ts).

    python3 test/support/record-job-event-timing.py [--out FILE] [--only SUBSTRING]

Each case runs on a fresh daemon over fresh copies of images that hold data, so that no job
finishes while its command runs: a chain base <- mid <- top of 64 MiB qcow2 images (base and mid
written in full, top over its first 48 MiB, so that a stream has 16 MiB to copy) and an empty
64 MiB target. A job started at speed 1 stays running: it copies its first chunk (16 MiB for a
mirror, 512 KiB for a commit or stream, 1 MiB for a backup) and sleeps, and a job woken by a
command copies one more chunk and sleeps again. A job at speed 0 runs to its end at once. Before
the probed command, the job is brought to the status the case names and the daemon is let
settle; then the events that arrive before the command's reply are "before", those that arrive
until the daemon is quiet again, and no job copies unthrottled or is ending, "after". A case
that misses a deadline on a loaded machine is tried again. Only the standard library is used.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from qmp_connect import LineReader, connect

MiB = 1 << 20
SIZE = 64 * MiB
TOP_DATA = 48 * MiB
QUIET = 0.4
LIMIT = 10.0


class Qmp:
    def __init__(self, path):
        self.sock = connect(path)
        self.lines = LineReader(self.sock)
        self.next_id = 0
        self.read(time.monotonic() + 10)  # greeting
        reply, _ = self.command('qmp_capabilities')
        assert 'return' in reply, reply

    def read(self, deadline):
        """One message, or None at the deadline."""
        line = self.lines.line(deadline)
        if line is None:
            return None
        return json.loads(line)

    def command(self, name, args=None):
        """Sends a command; its reply and the events that arrived before it."""
        self.next_id += 1
        message = {'execute': name, 'id': self.next_id}
        if args is not None:
            message['arguments'] = args
        self.sock.sendall(json.dumps(message).encode() + b'\n')
        events = []
        deadline = time.monotonic() + LIMIT
        while True:
            msg = self.read(deadline)
            if msg is None:
                raise TimeoutError(f'no reply to {name}')
            if 'event' in msg:
                events.append(event(msg))
            elif msg.get('id') == self.next_id:
                msg.pop('id')
                return msg, events

    def settle(self, quiet=QUIET, limit=LIMIT):
        """The events that arrive until none has for `quiet` seconds."""
        events = []
        end = time.monotonic() + limit
        while True:
            msg = self.read(min(end, time.monotonic() + quiet))
            if msg is None:
                return events
            events.append(event(msg))


def event(msg):
    return {'event': msg['event'], 'data': msg.get('data', {})}


def run(*argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


IMAGES = ('base', 'mid', 'top', 'tgt')


def make_images(work):
    """The images, once; each case copies them (backing files are named relative to the image)."""
    img = lambda name: os.path.join(work, f'{name}.qcow2')
    run('qemu-img', 'create', '-f', 'qcow2', img('base'), str(SIZE))
    run('qemu-img', 'create', '-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', img('mid'))
    run('qemu-img', 'create', '-f', 'qcow2', '-b', 'mid.qcow2', '-F', 'qcow2', img('top'))
    run('qemu-img', 'create', '-f', 'qcow2', img('tgt'), str(SIZE))
    for name, length in (('base', SIZE), ('mid', SIZE), ('top', TOP_DATA)):
        run('qemu-io', '-f', 'qcow2', '-c', f'write -P 0x{ord(name[0]):x} 0 {length}', img(name))


def copy_images(template, work):
    for name in IMAGES:
        run('cp', '--sparse=always', os.path.join(template, f'{name}.qcow2'), os.path.join(work, f'{name}.qcow2'))


def qcow2(work, name, backing):
    return {
        'driver': 'qcow2',
        'node-name': name,
        'file': {'driver': 'file', 'node-name': f'{name}-file', 'filename': os.path.join(work, f'{name}.qcow2')},
        'backing': backing,
    }


def nodes(work):
    return [qcow2(work, 'base', None), qcow2(work, 'mid', 'base'), qcow2(work, 'top', 'mid'), qcow2(work, 'tgt', None)]


# How each kind of job starts ($W: the scratch directory).
KINDS = {
    'mirror': ('blockdev-mirror', {'device': 'top', 'target': 'tgt', 'sync': 'full'}),
    'drive-mirror': ('drive-mirror', {'device': 'top', 'target': '$W/dm.qcow2', 'format': 'qcow2', 'sync': 'full'}),
    'active-commit': ('block-commit', {'device': 'top', 'base-node': 'mid'}),
    'commit': ('block-commit', {'device': 'top', 'top-node': 'mid', 'base-node': 'base'}),
    'stream': ('block-stream', {'device': 'top', 'base-node': 'base'}),
    'backup': ('blockdev-backup', {'device': 'top', 'target': 'tgt', 'sync': 'full'}),
    'drive-backup': ('drive-backup', {'device': 'top', 'target': '$W/db.qcow2', 'format': 'qcow2', 'sync': 'full'}),
}
WAITS_FOR_COMPLETE = {'mirror', 'drive-mirror', 'active-commit'}
FLAGS = [(True, True), (False, True), (True, False), (False, False)]


def case(kind, af, ad, speed, state, prep, probe, note=None):
    execute, args = KINDS[kind]
    start = dict(args, **{'job-id': 'j', 'speed': speed})
    if not af:
        start['auto-finalize'] = False
    if not ad:
        start['auto-dismiss'] = False
    c = {'kind': kind, 'state': state, 'start': {'execute': execute, 'arguments': start}, 'prep': prep, 'probe': probe}
    if note:
        c['note'] = note
    return c


def cmd(execute, **args):
    return {'execute': execute, 'arguments': args} if args else {'execute': execute}


def cases():
    out = []
    for kind in KINDS:
        waits = kind in WAITS_FOR_COMPLETE
        # the start itself: a job that stays running, and one that runs to its end at once
        for af, ad in FLAGS:
            out.append(case(kind, af, ad, 1, 'start', [], None))
            out.append(case(kind, af, ad, 0, 'start', [], None))
        # running (speed 1)
        for probe in [cmd('job-pause', id='j'), cmd('block-job-pause', device='j'),
                      cmd('block-job-set-speed', device='j', speed=2), cmd('job-resume', id='j'),
                      cmd('job-complete', id='j'), cmd('block-job-complete', device='j')]:
            out.append(case(kind, True, True, 1, 'running', [], probe))
        for af, ad in FLAGS:
            for probe in [cmd('job-cancel', id='j'), cmd('block-job-cancel', device='j'),
                          cmd('block-job-cancel', device='j', force=True), cmd('block-job-set-speed', device='j', speed=0)]:
                out.append(case(kind, af, ad, 1, 'running', [], probe))
        # paused (speed 1, then job-pause)
        pause = [cmd('job-pause', id='j')]
        for probe in [cmd('job-resume', id='j'), cmd('block-job-resume', device='j'), cmd('job-pause', id='j'),
                      cmd('block-job-set-speed', device='j', speed=2), cmd('block-job-cancel', device='j')]:
            out.append(case(kind, True, True, 1, 'paused', pause, probe))
        for af, ad in FLAGS:
            for probe in [cmd('job-cancel', id='j'), cmd('block-job-cancel', device='j', force=True)]:
                out.append(case(kind, af, ad, 1, 'paused', pause, probe))
        out.append(case(kind, True, True, 1, 'paused', pause + [cmd('block-job-set-speed', device='j', speed=0)],
                        cmd('job-resume', id='j'), 'resumed at speed 0: runs to its end'))
        if waits:
            # ready (speed 0), and standby (ready, then job-pause)
            for probe in [cmd('job-pause', id='j'), cmd('block-job-pause', device='j'),
                          cmd('block-job-set-speed', device='j', speed=2)]:
                out.append(case(kind, True, True, 0, 'ready', [], probe))
            for af, ad in FLAGS:
                for probe in [cmd('job-complete', id='j'), cmd('block-job-complete', device='j'),
                              cmd('job-cancel', id='j'), cmd('block-job-cancel', device='j'),
                              cmd('block-job-cancel', device='j', force=True)]:
                    out.append(case(kind, af, ad, 0, 'ready', [], probe))
            for probe in [cmd('job-resume', id='j'), cmd('block-job-set-speed', device='j', speed=2),
                          cmd('job-complete', id='j'), cmd('block-job-cancel', device='j', force=True)]:
                out.append(case(kind, True, True, 0, 'standby', pause, probe))
            for af, ad in FLAGS:
                out.append(case(kind, af, ad, 0, 'standby', pause + [cmd('job-complete', id='j')],
                                cmd('job-resume', id='j'), 'completed while in standby, then resumed'))
                out.append(case(kind, af, ad, 0, 'standby', pause, cmd('job-cancel', id='j')))
        # pending (auto-finalize off) and concluded (auto-dismiss off)
        to_pending = [cmd('job-complete', id='j')] if waits else []
        for ad in (True, False):
            for probe in [cmd('job-finalize', id='j'), cmd('block-job-finalize', id='j'),
                          cmd('job-cancel', id='j'), cmd('block-job-cancel', device='j')]:
                out.append(case(kind, False, ad, 0, 'pending', to_pending, probe))
        for af in (True, False):
            to_concluded = to_pending + ([] if af else [cmd('job-finalize', id='j')])
            for probe in [cmd('job-dismiss', id='j'), cmd('block-job-dismiss', id='j')]:
                out.append(case(kind, af, False, 0, 'concluded', to_concluded, probe))
    return out


def substitute(value, work):
    if isinstance(value, str):
        return value.replace('$W', work)
    if isinstance(value, dict):
        return {k: substitute(v, work) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, work) for v in value]
    return value


def job_status(qmp):
    reply, _ = qmp.command('query-jobs')
    jobs = [j for j in reply['return'] if j['id'] == 'j']
    return jobs[0]['status'] if jobs else 'absent'


def wait_status(qmp, wanted):
    deadline = time.monotonic() + LIMIT
    while True:
        status = job_status(qmp)
        if status in wanted:
            return status
        if time.monotonic() > deadline:
            raise TimeoutError(f'job still {status}, not {wanted}')
        time.sleep(0.02)


def play(c, template):
    work = tempfile.mkdtemp(prefix='pg-timing-')
    sock = os.path.join(work, 'qmp.sock')
    daemon = None
    try:
        copy_images(template, work)
        daemon = subprocess.Popen(
            ['qemu-storage-daemon', '--chardev', f'socket,id=c,path={sock},server=on,wait=off', '--monitor', 'chardev=c'],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        qmp = Qmp(sock)
        for node in nodes(work):
            reply, _ = qmp.command('blockdev-add', node)
            assert 'return' in reply, reply
        start = substitute(c['start'], work)
        if c['probe'] is None:
            return observe(qmp, start)
        reply, _ = qmp.command(start['execute'], start['arguments'])
        assert 'return' in reply, reply
        first = {'running': ['running'], 'paused': ['running'], 'ready': ['ready'], 'standby': ['ready'],
                 'pending': ['ready', 'pending'], 'concluded': ['ready', 'pending', 'concluded']}[c['state']]
        wait_status(qmp, first)
        for step in c['prep']:
            reply, _ = qmp.command(step['execute'], step.get('arguments'))
            assert 'return' in reply, (step, reply)
            time.sleep(0.05)
        qmp.settle()
        status = job_status(qmp)
        if status != c['state']:
            raise RuntimeError(f'job is {status}, not {c["state"]}')
        result = observe(qmp, c['probe'])
        result['jobs-after'] = query(qmp)
        return result
    finally:
        if daemon:
            daemon.kill()
            daemon.wait()
        shutil.rmtree(work, ignore_errors=True)


def observe(qmp, command):
    reply, before = qmp.command(command['execute'], command.get('arguments'))
    after = qmp.settle()
    deadline = time.monotonic() + LIMIT
    while busy(qmp, after):
        if time.monotonic() > deadline:
            raise TimeoutError('the job is still busy')
        after += qmp.settle()
    return {'reply': reply, 'before': before, 'after': after}


def busy(qmp, events):
    """Whether the job is still on its way somewhere (copying unthrottled, or ending); the
    events that come meanwhile join `events`."""
    reply, seen = qmp.command('query-block-jobs')
    events += seen
    return any(j['status'] in ('waiting', 'aborting') or (j['status'] == 'running' and j['speed'] == 0)
               for j in reply['return'])


def query(qmp):
    reply, _ = qmp.command('query-jobs')
    return [{'status': j['status'], 'current-progress': j['current-progress'], 'total-progress': j['total-progress']}
            for j in reply['return']]


def describe(record):
    probe = record['probe'] or record['start']
    flags = ''.join(f' {k}=off' for k in ('auto-finalize', 'auto-dismiss') if record['start']['arguments'].get(k) is False)
    if record['probe'] is None:
        flags += f" speed={record['start']['arguments']['speed']}"
    names = lambda events: ' '.join(e['event'].replace('JOB_STATUS_CHANGE', '') + e['data'].get('status', '') for e in events)
    reply = 'ok' if 'return' in record['reply'] else 'error: ' + record['reply']['error']['desc']
    return (f"{record['kind']:13} {record['state']:9} {probe['execute']} {json.dumps(probe.get('arguments', {}))}{flags}\n"
            f"    before: {names(record['before'])}\n    reply: {reply}\n    after: {names(record['after'])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'job-event-timing.json'))
    parser.add_argument('--only', default=None, help='only the cases whose description contains this')
    args = parser.parse_args()
    version = subprocess.run(['qemu-storage-daemon', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit('terminated'))
    template = tempfile.mkdtemp(prefix='pg-timing-images-')
    try:
        make_images(template)
        records, failed = play_all(args, template)
    finally:
        shutil.rmtree(template, ignore_errors=True)
    if failed:
        sys.exit(f'{failed} case(s) failed; {args.out} not written')
    write_fixture(args.out, version, records)


def write_fixture(path, version, records):
    """The fixture: the setup once, then one case a line."""
    head = {
        'qemu': version,
        'images': {'size': SIZE, 'top-data': TOP_DATA, 'chain': 'base <- mid <- top, and tgt'},
        'nodes': nodes('$W'),
    }
    with open(path, 'w') as f:
        f.write('{\n')
        for key, value in head.items():
            f.write(f' {json.dumps(key)}: {json.dumps(value)},\n')
        f.write(' "cases": [\n')
        f.write(',\n'.join(f'  {json.dumps(record)}' for record in records))
        f.write('\n ]\n}\n')


def play_all(args, template):
    records = []
    failed = 0
    for c in cases():
        if args.only and args.only not in json.dumps(c):
            continue
        result = None
        for attempt in range(1, 4):
            try:
                result = play(c, template)
                break
            except Exception as error:  # noqa: BLE001 -- a loaded machine may miss a deadline: try again
                print(f'{"FAILED" if attempt == 3 else "retrying"} {json.dumps(c)}: {error!r}', file=sys.stderr)
        if result is None:
            failed += 1
            continue
        record = dict(c, **result)
        records.append(record)
        print(describe(record), file=sys.stderr)
    return records, failed


if __name__ == '__main__':
    main()
