/**
 * `permgraph import`: transcripts recorded from the real qemu-storage-daemon 7.2
 * (test/support/record-import-fixtures.py: a raw transcript, libvirt's debug log of the daemon
 * driven as libvirt drives it, a qmp-shell session) become scenarios that `permgraph run`
 * replays with every recorded reply matched; the other forms each reader takes come out as the
 * same steps; and a line that cannot be read is one line that names the file and the line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importTranscript } from '../src/scenario/import/index.js';
import { parseScenario } from '../src/scenario/load.js';
import { runScenario, type RunResult } from '../src/scenario/run.js';
import { virtualStorageFor } from '../src/scenario/virtual-setup.js';
import { cli } from './support/cli.js';
import { missing } from './support/environment.js';
import { MALFORMED_TRANSCRIPTS } from './fixtures/import/malformed.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FIXTURES = 'test/fixtures/import';
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const write = (name: string, text: string): string => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

/** The scenario text parsed as `permgraph run` parses it, and played on its virtual files. */
function replay(text: string, file: string): RunResult {
  const scenario = parseScenario(text, file);
  const workdir = `/scenario/${scenario.name ?? 'x'}`;
  const storage = virtualStorageFor(scenario, workdir, file);
  const result = runScenario(scenario, { model: scenario.model ?? 'dynamic', storage, workdir, file });
  result.permgraph.dispose();
  return result;
}

/** Each step with an expect or a wait: whether it held. */
const failures = (result: RunResult): string[] =>
  result.steps.filter((s) => s.check && !s.check.ok).map((s) => `[${s.index}] ${JSON.stringify(s.step)}: ${s.check!.message}`);

const expectations = (result: RunResult): number => result.steps.filter((s) => 'execute' in s.step && s.step.expect).length;

/** The replies a fixture holds (qmp_capabilities' among them), counted without the importer. */
const RECORDED: readonly { file: string; kind: string; replies: (text: string) => number }[] = [
  {
    file: 'commit.qmp',
    kind: 'qmp',
    replies: (text) => text.split('\n').filter((l) => l.trim() && ['return', 'error'].some((key) => key in (JSON.parse(l) as object))).length,
  },
  { file: 'commit-libvirt.log', kind: 'libvirt', replies: (text) => text.split('\n').filter((l) => l.includes('QEMU_MONITOR_RECV_REPLY:')).length },
  { file: 'commit-qmp-shell.txt', kind: 'qmp-shell', replies: (text) => text.split('\n').filter((l) => /^\{"(return|error)"/.test(l)).length },
];

describe.each(RECORDED)('$file, recorded from qemu-storage-daemon 7.2', ({ file, kind, replies }) => {
  const text = read(file);
  const path = join(FIXTURES, file);

  it(`is read as ${kind}, and every recorded reply holds on replay (YAML and JSON alike)`, () => {
    const recorded = replies(text) - (kind === 'qmp-shell' ? 0 : 1); // qmp_capabilities' reply is left out
    for (const format of ['yaml', 'json'] as const) {
      const imported = importTranscript(text, path, format);
      expect(imported.kind).toBe(kind);
      const result = replay(imported.text, `${file}.${format}`);
      expect(failures(result)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(expectations(result)).toBe(recorded);
      expect(result.steps.some((s) => 'wait-job' in s.step)).toBe(true);
      expect(JSON.stringify(imported.scenario)).not.toMatch(/"id":\s*(\d|"libvirt-)|qmp_capabilities/);
    }
  });

  it('through the command line: import, then run exits 0', async () => {
    const out = join(scratch, `${file}.yaml`);
    const imported = await cli('import', path, '--out', out);
    expect(imported).toMatchObject({ code: 0, out: '' });
    expect(imported.err).toMatch(new RegExp(`^permgraph import: ${path.replace(/\./g, '\\.')}: read as `));
    const run = await cli('run', out);
    expect(run.err).toBe('');
    expect(run.out).toMatch(/\n\d+ steps, 0 expectations failed\n$/);
    expect(run.code).toBe(0);
  });
});

const live = missing(['qemu-storage-daemon', 'qemu-img']);
describe.skipIf(live !== null)(`the imports on the real daemon${live ? ` (skipped: ${live})` : ''}`, () => {
  it.each(RECORDED)('permgraph diff of the imported $file: the daemon and permgraph agree', async ({ file }) => {
    const out = join(scratch, `${file}.diff.yaml`);
    expect((await cli('import', join(FIXTURES, file), '--out', out)).code).toBe(0);
    const diff = await cli('diff', out);
    expect(diff.out).toMatch(/: same \(\d+ steps\)\n$/);
    expect(diff.code).toBe(0);
  }, 120_000);
});

describe('what the scenario says', () => {
  it('a libvirt block-commit: the job waited for to concluded, then gone after job-dismiss', () => {
    const { scenario } = importTranscript(read('commit-libvirt.log'), 'commit-libvirt.log');
    const waits = scenario.steps.filter((s) => 'wait-job' in s);
    expect(waits).toEqual([
      { 'wait-job': 'commit-vda-libvirt-2-format', status: ['concluded'], note: 'events at lines 63-76' },
      { 'wait-job': 'commit-vda-libvirt-2-format', status: ['absent'], note: 'event at line 91' },
    ]);
    expect(scenario.steps.find((s) => 'wait-event' in s && s['wait-event'] === 'BLOCK_JOB_COMPLETED')).toEqual({
      'wait-event': 'BLOCK_JOB_COMPLETED',
      data: { device: 'commit-vda-libvirt-2-format', speed: 0, type: 'commit' },
    });
    expect(scenario.setup).toEqual([
      { 'qemu-img': ['create', '-f', 'qcow2', '$W/base.qcow2', '64M'] },
      { 'qemu-img': ['create', '-f', 'qcow2', '-b', '$W/base.qcow2', '-F', 'qcow2', '$W/mid.qcow2', '64M'] },
      { 'qemu-img': ['create', '-f', 'qcow2', '-b', '$W/mid.qcow2', '-F', 'qcow2', '$W/top.qcow2', '64M'] },
    ]);
    expect(scenario.model).toBe('qemu-7.2');
  });

  it('a raw transcript: sizes from query-named-block-nodes, an error kept word for word, a query as success', () => {
    const imported = importTranscript(read('commit.qmp'), 'commit.qmp');
    expect(imported.scenario.setup?.[0]).toEqual({ 'qemu-img': ['create', '-f', 'qcow2', '$W/base.qcow2', '16M'] });
    expect(imported.notes.filter((n) => n.includes('size'))).toEqual([]);
    const steps = imported.scenario.steps;
    expect(steps).toContainEqual({
      execute: 'blockdev-add',
      arguments: { driver: 'qcow2', 'node-name': 'top', file: 'top-file' },
      expect: { class: 'GenericError', desc: "Duplicate nodes with node-name='top'" },
      note: 'line 16',
    });
    expect(steps).toContainEqual({
      execute: 'query-named-block-nodes',
      arguments: { flat: true },
      expect: { ok: true },
      note: "line 18; QEMU returned 6 entries, not compared (a query's reply)",
    });
    expect(imported.text).toMatch(/^# permgraph import commit\.qmp\n# read as a raw QMP transcript/);
  });

  it('a qmp-shell session: nested and dotted keys, a JSON value, the error, the events from after an empty line', () => {
    const { scenario, notes } = importTranscript(read('commit-qmp-shell.txt'), 'commit-qmp-shell.txt');
    expect(scenario.steps[0]).toMatchObject({
      execute: 'blockdev-add',
      arguments: { driver: 'qcow2', 'node-name': 'base', file: { driver: 'file', 'node-name': 'base-file', filename: '$W/base.qcow2' }, 'read-only': true },
    });
    expect(scenario.steps[3]).toMatchObject({ execute: 'block-commit', expect: { class: 'GenericError', desc: "Cannot find device='' nor node-name='nowhere'" } });
    expect(notes).toContain("/tmp/permgraph-import/qmp-shell/base.qcow2: its size is not in the transcript: 64M assumed");
  });
});

describe('the libvirt log as libvirt writes it', () => {
  const text = read('commit-libvirt.log');
  const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: \d+: (debug|info) : \w+:\d+ : /;

  it('every line is a log line of virLogFormatString(), or the rest of a message after its CR LF', () => {
    const shape = new RegExp(`${LOG_LINE.source}|^ (fd=-?\\d+|len=\\d+ ret=\\d+ errno=0)$`);
    for (const line of text.split('\n').slice(0, -1)) expect(line).toMatch(shape);
    expect(text).toContain('"id":"libvirt-8"}\r\n fd=-1\n');
  });

  /** The steps without their notes (which name lines of the input). */
  const stepsOf = (log: string): unknown =>
    importTranscript(log, 'x.log').scenario.steps.map((step) => Object.fromEntries(Object.entries(step).filter(([key]) => key !== 'note')));
  const original = stepsOf(text);

  it('copied from a terminal (^M for CR), the same steps', () => {
    expect(stepsOf(text.replaceAll('\r', '^M'))).toEqual(original);
  });

  it('IO_WRITE and IO_PROCESS only (older libvirt), buffers of several messages and unfinished tails: the same steps', () => {
    const RECV = /^(.*?)info : \w+:\d+ : QEMU_MONITOR_RECV_(?:REPLY|EVENT): mon=(\S+) (?:reply|event)=(.*)$/;
    // what was read between two commands sent is one buffer, here ending with the first bytes of
    // the next one (a read that stopped half-way), which come again at the start of the next buffer
    const groups: { at: number; prefix: string; mon: string; messages: string[] }[] = [];
    const kept: (string | number)[] = [];
    text.split('\n').forEach((line, i, lines) => {
      const recv = RECV.exec(line);
      const last = groups[groups.length - 1];
      if (line.includes('QEMU_MONITOR_SEND_MSG') || (i > 0 && lines[i - 1]!.includes('QEMU_MONITOR_SEND_MSG'))) return;
      if (!recv) kept.push(line);
      else if (last && kept[kept.length - 1] === last.at) last.messages.push(recv[3]!);
      else {
        groups.push({ at: groups.length, prefix: recv[1]!, mon: recv[2]!, messages: [recv[3]!] });
        kept.push(groups.length - 1);
      }
    });
    const out = kept.flatMap((item) => {
      if (typeof item === 'string') return [item];
      const { prefix, mon, messages } = groups[item]!;
      const next = groups[item + 1]?.messages[0]?.slice(0, 12) ?? '';
      const buf = messages.map((m) => `${m}\r`);
      buf[0] = `${prefix}debug : qemuMonitorIOProcess:356 : QEMU_MONITOR_IO_PROCESS: mon=${mon} buf=${buf[0]}`;
      return [...buf, `${next} len=${messages.join('').length + next.length}`];
    });
    expect(out.join('\n')).not.toMatch(/RECV_|SEND_MSG/);
    const imported = importTranscript(out.join('\n'), 'x.log');
    expect(stepsOf(out.join('\n'))).toEqual(original);
    expect(imported.summary).toContain('QEMU_MONITOR_IO_WRITE, QEMU_MONITOR_IO_PROCESS lines of monitor 0x7f5c9c0212c0');
  });

  it('a short write and a write tried again send nothing twice', () => {
    const log = [
      'T: 2: info : qemuMonitorIOWrite:450 : QEMU_MONITOR_IO_WRITE: mon=0x1 buf={"execute":"query-block-jobs","id":"libvirt-1"}\r',
      ' len=46 ret=-1 errno=11',
      'T: 2: info : qemuMonitorIOWrite:450 : QEMU_MONITOR_IO_WRITE: mon=0x1 buf={"execute":"query-block-jobs","id":"libvirt-1"}\r',
      ' len=46 ret=20 errno=0',
      'T: 2: info : qemuMonitorIOWrite:450 : QEMU_MONITOR_IO_WRITE: mon=0x1 buf=ck-jobs","id":"libvirt-1"}\r',
      ' len=26 ret=26 errno=0',
      'T: 2: info : qemuMonitorJSONIOProcessLine:239 : QEMU_MONITOR_RECV_REPLY: mon=0x1 reply={"return": [], "id": "libvirt-1"}',
    ].join('\n');
    expect(importTranscript(log, 'x.log').scenario.steps).toEqual([{ execute: 'query-block-jobs', expect: { ok: true }, note: "line 3; QEMU returned 0 entries, not compared (a query's reply)" }]);
  });

  it('another monitor (another VM) in the same log is left out, with a note', () => {
    const other = text
      .split('\n')
      .filter((l) => l.includes('QEMU_MONITOR_SEND_MSG') || l.includes('RECV_'))
      .map((l) => l.replaceAll('0x7f5c9c0212c0', '0x55d0c0ffee00'));
    const mixed = text.split('\n').flatMap((l, i) => (i > 5 && i % 3 === 0 && other.length ? [l, other.shift()!] : [l]));
    const imported = importTranscript(mixed.join('\n'), 'x.log');
    expect(stepsOf(mixed.join('\n'))).toEqual(original);
    expect(imported.notes).toContain('the log also holds monitor 0x55d0c0ffee00 (other VMs): left out');
  });
});

describe('raw transcripts in other shapes', () => {
  const text = read('commit.qmp');
  const withoutNotes = (steps: readonly object[]): unknown => steps.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'note')));
  const original = withoutNotes(importTranscript(text, 'commit.qmp').scenario.steps);
  const messages = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);

  it("as QEMU's documentation writes them (-> and <-, pretty-printed over lines): the same steps", () => {
    const docs = messages.map((m) => `${'execute' in m ? '->' : '<-'} ${JSON.stringify(m, null, 4)}`).join('\n');
    expect(withoutNotes(importTranscript(docs, 'docs.txt').scenario.steps)).toEqual(original);
  });

  it('commands only: the same commands, no expect, no waits', () => {
    const sent = messages.filter((m) => 'execute' in m).map((m) => JSON.stringify(m)).join('\n');
    const imported = importTranscript(sent, 'sent.qmp');
    expect(imported.scenario.steps).toEqual((original as Record<string, unknown>[]).filter((s) => 'execute' in s).map(({ expect: _e, observe: _o, ...s }) => ({ ...s, note: expect.any(String) })));
    expect(imported.summary).toContain('a raw QMP transcript (JSON lines: commands only, no replies)');
  });

  it("qmp-shell's log file (a command and its reply in one object), and QEMU's single-quoted strings", () => {
    const log = ['{"execute": "query-block-jobs", "arguments": {}, "return": []}', "{'execute': 'blockdev-del', 'arguments': {'node-name': 'x'}, 'error': {'class': 'GenericError', 'desc': 'gone'}}"];
    expect(importTranscript(log.join('\n'), 'log.json').scenario.steps).toEqual([
      { execute: 'query-block-jobs', expect: { ok: true }, note: "line 1; QEMU returned 0 entries, not compared (a query's reply)" },
      { execute: 'blockdev-del', arguments: { 'node-name': 'x' }, expect: { class: 'GenericError', desc: 'gone' }, note: 'line 2' },
    ]);
  });

  it('a reply to a command sent before the transcript begins is left out, with a note', () => {
    const imported = importTranscript('{"return": {}, "id": 7}\n{"execute": "query-jobs", "id": 8}\n{"return": [], "id": 8}\n', 'x.qmp');
    expect(imported.scenario.steps).toHaveLength(1);
    expect(imported.notes).toContain('line 1: a reply to no command in the transcript (sent before it begins?): left out');
  });
});

describe('files the transcript names', () => {
  const transcript = [
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/images/ro.img' } },
    { error: { class: 'GenericError', desc: "Could not open '/images/ro.img': Permission denied" } },
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/images/ro.img', 'read-only': true } },
    { return: {} },
    { execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'r', file: { driver: 'file', filename: '/images/hidden.img', 'read-only': true } } },
    { error: { class: 'GenericError', desc: "Could not open '/images/hidden.img': Permission denied" } },
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'n', filename: '/images/none.img' } },
    { error: { class: 'GenericError', desc: "Could not open '/images/none.img': No such file or directory" } },
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'i', filename: '/images/sub/immutable.img' } },
    { error: { class: 'GenericError', desc: "Could not open '/images/sub/immutable.img': Operation not permitted" } },
  ].map((m) => JSON.stringify(m));

  it('an unwritable, an unreadable, a missing and an immutable file: setup steps that make them so, and the replay agrees', () => {
    const imported = importTranscript(transcript.join('\n'), 'files.qmp');
    expect(imported.scenario.setup).toEqual([
      { 'qemu-img': ['create', '-f', 'raw', '$W/ro.img', '64M'] },
      { chmod: ['$W/ro.img', '0444'] },
      { 'qemu-img': ['create', '-f', 'raw', '$W/hidden.img', '64M'] },
      { chmod: ['$W/hidden.img', '0000'] },
      { mkdir: '$W/sub' },
      { 'qemu-img': ['create', '-f', 'raw', '$W/sub/immutable.img', '64M'] },
      { 'chattr-immutable': '$W/sub/immutable.img' },
    ]);
    expect(imported.notes).toContain('/images/ro.img: QEMU could not open it read-write at line 1 (Permission denied): unwritable');
    expect(imported.notes).toContain('/images/ro.img: no format node over it in the transcript: raw assumed');
    expect(imported.text).toContain('# $W is /images, the images\' directory');
    const result = replay(imported.text, 'files.yaml');
    expect(failures(result)).toEqual([]);
    expect(expectations(result)).toBe(5);
  });
});

describe('qmp-shell sessions', () => {
  const session = (...lines: string[]): ReturnType<typeof importTranscript> => importTranscript(lines.join('\n'), 'session.txt');
  const args = (line: string): unknown => (session(`(QEMU) x ${line}`).scenario.steps[0] as { arguments?: unknown }).arguments;

  it("reads values as qmp-shell does: Python's int(), true/false in any case, JSON or Python literals, else the text as typed", () => {
    expect(args('a=12 b=1_000 c=-3 d=0x10 e=TRUE f=False g=null h="a"')).toEqual({ a: 12, b: 1000, c: -3, d: '0x10', e: true, f: false, g: 'null', h: '"a"' });
    expect(args(`a={"x":[1,null]} b={'y':True,'z':None} c=[1,(2,3)] d={bad e=[]`)).toEqual({ a: { x: [1, null] }, b: { y: true, z: null }, c: [1, [2, 3]], d: '{bad', e: [] });
    expect(args('file.driver=file file.filename=/x file.aio.x=1 cache={"direct":true} cache.no-flush=false')).toEqual({
      file: { driver: 'file', filename: '/x', aio: { x: 1 } },
      cache: { direct: true, 'no-flush': false },
    });
    expect(args('filename="/images/a b.img"')).toEqual({ filename: '"/images/a b.img"' });
  });

  it("a line qmp-shell refuses sends nothing (its error lines pass), with a note", () => {
    const imported = session(
      '(QEMU) blockdev-del node-name=a node-name=b',
      'Error while parsing command line: Cannot set "node-name" multiple times',
      'command format: <command-name> [arg-name1=arg1] ... [arg-nameN=argN',
      '(QEMU) x a=1 a.b=2',
      '(QEMU) x a',
      '(QEMU) query-jobs',
      '{"return": []}',
    );
    expect(imported.scenario.steps.map((s) => 'execute' in s && s.execute)).toEqual(['query-jobs']);
    expect(imported.notes).toEqual([
      `line 1: qmp-shell refuses 'blockdev-del node-name=a node-name=b' (Cannot set "node-name" multiple times): nothing was sent`,
      `line 4: qmp-shell refuses 'x a=1 a.b=2' (Cannot use "a" as both leaf and non-leaf key): nothing was sent`,
      `line 5: qmp-shell refuses 'x a' (Expected a key=value pair, got 'a'): nothing was sent`,
    ]);
  });

  it('transactions, over several lines and on one', () => {
    const imported = session(
      '(QEMU) transaction(',
      'TRANS> blockdev-snapshot node=top overlay=snap',
      'TRANS> block-dirty-bitmap-add node=top name=b0 )',
      '{"return": {}}',
      '(QEMU) transaction( blockdev-snapshot node=a overlay=b )',
      '{"error": {"class": "GenericError", "desc": "no"}}',
    );
    expect(imported.scenario.steps).toEqual([
      {
        execute: 'transaction',
        arguments: { actions: [{ type: 'blockdev-snapshot', data: { node: 'top', overlay: 'snap' } }, { type: 'block-dirty-bitmap-add', data: { node: 'top', name: 'b0' } }] },
        expect: { return: {} },
        note: 'line 3',
      },
      { execute: 'transaction', arguments: { actions: [{ type: 'blockdev-snapshot', data: { node: 'a', overlay: 'b' } }] }, expect: { class: 'GenericError', desc: 'no' }, note: 'line 5' },
    ]);
  });

  it('-v: the echoed command is what was sent; -p: replies over several lines; events as Python dicts', () => {
    const imported = session(
      'Welcome to the QMP low-level shell!',
      'Connected to QEMU 8.2.1',
      '',
      '(QEMU) device_del id=disk0',
      '{',
      '    "arguments": {',
      '        "id": "disk1"',
      '    },',
      '    "execute": "device_del"',
      '}',
      '{',
      '    "return": {}',
      '}',
      '(QEMU) ',
      `{'timestamp': {'seconds': 1, 'microseconds': 2}, 'event': 'DEVICE_DELETED', 'data': {'device': 'disk1', 'path': "/machine/peripheral/disk1's"}}`,
    );
    expect(imported.scenario.steps).toEqual([
      { execute: 'device_del', arguments: { id: 'disk1' }, expect: { return: {} }, note: 'line 4' },
      { 'wait-event': 'DEVICE_DELETED', data: { device: 'disk1', path: "/machine/peripheral/disk1's" }, note: 'event at line 15' },
    ]);
    expect(imported.text).toContain('# replayed as QEMU 7.2 does it (model qemu-7.2); recorded on QEMU 8.2.1;');
  });
});

describe('events', () => {
  it("a VM's events and a job started before the transcript are left out, with notes", () => {
    const imported = importTranscript(
      [
        { execute: 'query-jobs' },
        { event: 'STOP' },
        { event: 'JOB_STATUS_CHANGE', data: { status: 'concluded', id: 'old' } },
        { event: 'BLOCK_JOB_COMPLETED', data: { device: 'old', len: 1, offset: 1, speed: 0, type: 'commit' } },
        { event: 'STOP' },
        { return: [] },
      ]
        .map((m) => JSON.stringify(m))
        .join('\n'),
      'x.qmp',
    );
    expect(imported.scenario.steps.filter((s) => !('execute' in s))).toEqual([]);
    expect(imported.notes).toEqual([
      "line 3: job 'old' was started before the transcript begins: its events are left out",
      'events the simulator does not send, left out: STOP ×2 (line 2)',
    ]);
  });
});

describe('lines that cannot be read', () => {
  it.each(MALFORMED_TRANSCRIPTS.map((m, i) => [m.name, m, i] as const))('%s', async (_name, m, i) => {
    const file = write(`bad-${i}.${m.ext}`, m.text);
    const { code, out, err } = await cli('import', file);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`permgraph: ${file}:${m.line}: ${err.slice(`permgraph: ${file}:${m.line}: `.length)}`);
    expect(err.split('\n')).toHaveLength(2);
    expect(err).toContain(m.says);
    expect(err).not.toMatch(/internal error|\n\s+at /);
  });

  it('an empty file, a missing file, a file with no command', async () => {
    expect(await cli('import', write('empty.qmp', '\n\n'))).toMatchObject({ code: 2, err: `permgraph: ${join(scratch, 'empty.qmp')}: empty: no QMP transcript in it\n` });
    expect(await cli('import', join(scratch, 'none.qmp'))).toMatchObject({ code: 2, err: `permgraph: ${join(scratch, 'none.qmp')}: cannot read: no such file\n` });
    const only = write('caps.qmp', '{"execute": "qmp_capabilities"}\n{"return": {}}\n');
    expect(await cli('import', only)).toMatchObject({ code: 2, err: `permgraph: ${only}: nothing to import: no QMP command in it (qmp_capabilities aside)\n` });
  });

  it('--format json, and json for an --out ending in .json', async () => {
    const json = await cli('import', join(FIXTURES, 'commit.qmp'), '--format', 'json');
    expect(JSON.parse(json.out)).toMatchObject({ name: 'commit', model: 'qemu-7.2' });
    const out = join(scratch, 'commit.json');
    expect(await cli('import', join(FIXTURES, 'commit.qmp'), '--out', out)).toMatchObject({ code: 0, out: '' });
    expect((JSON.parse(readFileSync(out, 'utf8')) as { steps: unknown[] }).steps).toHaveLength(35);
    expect((await cli('import', join(FIXTURES, 'commit.qmp'), '--format', 'xml')).code).toBe(2);
  });
});

describe('docs/import.md', () => {
  const doc = readFileSync('docs/import.md', 'utf8');
  const block = (marker: string): string => new RegExp(`<!-- import example ${marker} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(doc)![1]!;

  it('shows what the import of its example transcript is, word for word, and that replays', () => {
    const imported = importTranscript(block('input'), 'sample.qmp');
    expect(imported.text).toBe(block('output'));
    expect(failures(replay(imported.text, 'sample.yaml'))).toEqual([]);
  });
});

describe('events before the first command', () => {
  it('are left out, with a note: no command of the transcript caused them', () => {
    const imported = importTranscript('{"event": "BLOCK_EXPORT_DELETED", "data": {"id": "e1"}}\n{"execute": "query-jobs"}\n{"return": []}\n', 'x.qmp');
    expect(imported.scenario.steps).toHaveLength(1);
    expect(imported.notes).toEqual(['line 1: 1 event before the first command, which no command of the transcript caused: left out']);
  });
});
