/**
 * Every file a command reads from a path it is given (scenarios, universes, recorded traces) is
 * read within bounds, and whatever is wrong with it is one line that says where and what.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLine } from '../src/cli/program.js';
import { normalizeTrace } from '../src/diff/normalize.js';
import type { Trace } from '../src/diff/trace.js';
import { MAX_DATA_FILE_BYTES } from '../src/scenario/data-limits.js';
import { ScenarioError } from '../src/scenario/load.js';
import { replaceInStrings } from '../src/scenario/virtual-setup.js';
import { cli, type CliResult } from './support/cli.js';
import { hasCommand, isRoot } from './support/environment.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-loaders-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

/** Exit 2, nothing on stdout, one line on stderr (and no stack trace, no internal error). */
function expectOneLine(result: CliResult, line: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.out).toBe('');
  expect(result.err.split('\n')).toHaveLength(2);
  expect(result.err).not.toContain('internal error');
  if (typeof line === 'string') expect(result.err).toBe(`permgraph: ${line}\n`);
  else expect(result.err).toMatch(line);
}

const CORPUS = 'test/fixtures/corpus/rostore-chmod-while-open';

/** Each command that reads a file from a path it is given, with that path. */
const READERS: readonly [string, (file: string) => string[]][] = [
  ['run', (file) => ['run', file]],
  ['graph', (file) => ['graph', file, '--format', 'dot']],
  ['view', (file) => ['view', file]],
  ['check --universe', (file) => ['check', '--universe', file]],
  ['diff --recorded', (file) => ['diff', `${CORPUS}.json`, '--recorded', file]],
];

describe('reading a file is bounded', () => {
  const fifo = join(scratch, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const directory = join(scratch, 'dir.yaml');
  mkdirSync(directory);
  const huge = join(scratch, 'huge.json');
  writeFileSync(huge, '');
  truncateSync(huge, 1024 ** 3); // sparse: a GiB that is never read

  it.each(READERS)('%s refuses /dev/zero, a FIFO, a directory, a missing file and a huge one, in one line each', async (_name, argv) => {
    const started = Date.now();
    expectOneLine(await cli(...argv('/dev/zero')), '/dev/zero: cannot read: not a regular file (a character device)');
    expectOneLine(await cli(...argv(fifo)), `${fifo}: cannot read: not a regular file (a FIFO)`);
    expectOneLine(await cli(...argv(directory)), `${directory}: cannot read: is a directory`);
    expectOneLine(await cli(...argv(join(scratch, 'none.json'))), `${join(scratch, 'none.json')}: cannot read: no such file`);
    expectOneLine(await cli(...argv(join(scratch, 'none.json', 'x'))), `${join(scratch, 'none.json', 'x')}: cannot read: no such file`);
    expectOneLine(await cli(...argv(huge)), `${huge}: cannot read: larger than 16 MiB`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reads a file of exactly 16 MiB, and refuses one byte more', async () => {
    const scenario = '{"steps": []}';
    const exact = write('exact.json', scenario + ' '.repeat(MAX_DATA_FILE_BYTES - scenario.length));
    expect(await cli('run', exact)).toMatchObject({ code: 0, err: '' });
    const over = write('over.json', scenario + ' '.repeat(MAX_DATA_FILE_BYTES - scenario.length + 1));
    expectOneLine(await cli('run', over), `${over}: cannot read: larger than 16 MiB`);
  });

  it.skipIf(isRoot())(`refuses an unreadable file in one line${isRoot() ? ' (skipped: root reads a mode-000 file)' : ''}`, async () => {
    const file = write('unreadable.yaml', 'steps: []\n');
    execFileSync('chmod', ['000', file]);
    expectOneLine(await cli('run', file), `${file}: cannot read: permission denied`);
  });

  it('writes control characters of a file name as escapes, on one line', async () => {
    const file = join(scratch, 'a\nb\u001b[31m.yaml');
    expectOneLine(await cli('run', file), `${join(scratch, 'a\\nb\\x1b[31m.yaml')}: cannot read: no such file`);
  });
});

describe('a scenario name is put in literally', () => {
  const NAME = `a"b$'c$&d$\`e$1f$$g\\h`;

  it('runs a scenario whose name holds quotes and $ patterns, its files under /scenario/NAME', async () => {
    const file = write(
      'named.json',
      JSON.stringify({
        name: NAME,
        files: { '$W/a.img': { format: 'raw', size: 1024 } },
        steps: [{ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '$W/a.img' }, expect: { ok: true } }],
      }),
    );
    const { code, out, err } = await cli('run', file, '--format', 'json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const trace = JSON.parse(out) as { steps: { step: { arguments: { filename: string } } }[] };
    expect(trace.steps[0]!.step.arguments.filename).toBe(`/scenario/${NAME}/a.img`);
  });

  it('replaces in strings and keys, never reading $ patterns in the replacement', () => {
    const value = { '$W/a': ['$W/b', 1, null, { c: '$W$W' }] };
    expect(replaceInStrings(value, '$W', "/x$&$'$`$1")).toEqual({ "/x$&$'$`$1/a": ["/x$&$'$`$1/b", 1, null, { c: "/x$&$'$`$1/x$&$'$`$1" }] });
  });

  it('writes a recorded scratch directory that holds a quote as $W', () => {
    const trace: Trace = {
      scenario: 's',
      description: '',
      workdir: '/tmp/d"ir$&',
      as_user: null,
      qemu: null,
      daemon: null,
      setup: [],
      initial: null,
      steps: [{ i: 0, execute: 'blockdev-add', arguments: { filename: '/tmp/d"ir$&/a.img' }, return: {} }],
    };
    expect(normalizeTrace(trace).steps[0]).toMatchObject({ arguments: { filename: '$W/a.img' } });
  });
});

describe('recorded traces are checked', () => {
  const corpus = JSON.parse(readFileSync(`${CORPUS}.trace.json`, 'utf8')) as Record<string, unknown> & { steps: Record<string, unknown>[] };
  const diff = (trace: string): Promise<CliResult> => cli('diff', `${CORPUS}.json`, '--recorded', trace);
  const variant = (name: string, change: (t: typeof corpus) => void): string => {
    const copy = structuredClone(corpus);
    change(copy);
    return write(name, JSON.stringify(copy));
  };

  it('still compares a recording of the right shape', async () => {
    expect(await diff(`${CORPUS}.trace.json`)).toMatchObject({ code: 0, err: '' });
  });

  it.each([
    ['a list', () => write('list.trace.json', '[]'), '(top): Invalid input: expected object, received array'],
    ['steps a number', () => write('steps.trace.json', '{"steps": 5}'), 'scenario: Invalid input: expected string, received undefined'],
    ['steps a number, the rest right', () => variant('steps5.trace.json', (t) => (t.steps = 5 as never)), 'steps: Invalid input: expected array, received number'],
    ['a step of another version', () => variant('version.trace.json', (t) => (t.steps[0]!['i'] = '0')), 'steps[0].i: Invalid input: expected number, received string'],
    ['an edge that is null', () => variant('edge.trace.json', (t) => ((t.steps[0]!['obs'] as { graph: { edges: unknown[] } }).graph.edges[0] = null)), 'steps[0].obs.graph.edges[0]: Invalid input: expected object, received null'],
    ['an open file without locks', () => variant('fds.trace.json', (t) => delete (t.steps[0]!['obs'] as { fds: Record<string, unknown>[] }).fds[0]!['locks']), 'steps[0].obs.fds'],
    ['not JSON', () => write('broken.trace.json', '{"steps": [}'), ":1:12: not valid JSON: Unexpected token '}'\n"],
  ])('refuses %s in one line that names the file and the field', async (_name, make, says) => {
    const file = make();
    const result = await diff(file);
    expectOneLine(result, /^permgraph: .*\n$/);
    expect(result.err.startsWith(`permgraph: ${file}`)).toBe(true);
    expect(result.err).toContain(says);
  });
});

describe.skipIf(!hasCommand('qemu-img'))(`setup steps done for real (diff, record)${hasCommand('qemu-img') ? '' : ' (skipped: needs qemu-img)'}`, () => {
  const scenario = (name: string, setup: string): string => write(name, `setup:\n${setup}steps:\n  - execute: query-jobs\n`);

  it.each(['diff', 'record'])('%s says which setup step failed, and how', async (command) => {
    const out = ['--out', join(scratch, 'out.trace.json')];
    const missing = scenario('resize-missing.yaml', '  - qemu-img: [create, -f, raw, $W/a.img, 1M]\n  - qemu-img: [resize, $W/nope.img, 2M]\n');
    expectOneLine(
      await cli(command, missing, '--as-user', 'self', ...(command === 'record' ? out : [])),
      new RegExp(`^permgraph: ${missing}: not run on the daemon: setup\\[1\\]: qemu-img resize failed: qemu-img: Could not open '/tmp/permgraph-diff-\\w+/nope.img'`),
    );
    const size = scenario('bad-size.yaml', '  - qemu-img: [create, -f, raw, $W/a.img, huge]\n');
    expectOneLine(
      await cli(command, size, '--as-user', 'self', ...(command === 'record' ? out : [])),
      new RegExp(`^permgraph: ${size}: not run on the daemon: setup\\[0\\]: qemu-img create failed: qemu-img: Invalid image size specified`),
    );
    const chmod = scenario('chmod-missing.yaml', "  - chmod: [$W/nope, '0444']\n");
    expectOneLine(
      await cli(command, chmod, '--as-user', 'self', ...(command === 'record' ? out : [])),
      new RegExp(`^permgraph: ${chmod}: not run on the daemon: setup\\[0\\]: chmod /tmp/permgraph-diff-\\w+/nope: no such file or directory\\n$`),
    );
  });
});

describe('odd but valid scenarios', () => {
  it.each([
    ['a map key __proto__', { files: { __proto__: {} }, steps: [{ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '__proto__' }, expect: { ok: true } }] }],
    ['arguments with __proto__', { steps: [{ execute: 'query-jobs', arguments: { __proto__: 1 }, expect: { desc: "Parameter '__proto__' is unexpected" } }] }],
    ['a job named after Object.prototype', { steps: [{ 'wait-job': 'constructor', status: ['absent'] }, { 'wait-job': '__proto__', status: ['absent'] }] }],
    ['arguments 1020 deep', { steps: [{ execute: 'query-jobs', arguments: JSON.parse(`${'{"a":'.repeat(1020)}1${'}'.repeat(1020)}`) as object }] }],
    ['a huge advance', { steps: [{ advance: 1e308 }, { sleep: Number.MAX_VALUE }] }],
    ['a file resized by a change', { setup: [{ 'qemu-img': ['create', '-f', 'raw', '/a', '1M'] }, { 'qemu-img': ['resize', '/a', '+1M'] }], steps: [] }],
  ])('%s runs, is drawn and shown, with no error', async (name, scenario) => {
    // JSON.stringify would drop a `__proto__` key made by an object literal: write it out by hand
    const text = JSON.stringify(scenario).replace('"files":{}', '"files":{"__proto__":{}}').replace('"arguments":{}', '"arguments":{"__proto__":1}');
    const file = write(`${name.replace(/\W+/g, '-')}.json`, text);
    for (const argv of [['run', file], ['run', file, '--model', 'qemu-7.2', '--check-invariants'], ['graph', file, '--format', 'dot']]) {
      if (argv[0] === 'graph' && scenario.steps.length === 0) continue;
      const result = await cli(...argv);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
    }
  });
});

describe('the command line prints one line for any error', () => {
  it('says internal error, on one line, for an error of permgraph itself', () => {
    expect(errorLine(new TypeError("Cannot read properties of undefined (reading 'x')\n    at f (a.js:1:1)"))).toBe(
      "permgraph: internal error: Cannot read properties of undefined (reading 'x')\\n    at f (a.js:1:1)\n",
    );
    expect(errorLine('thrown text')).toBe('permgraph: internal error: thrown text\n');
    expect(errorLine(new RangeError('Maximum call stack size exceeded'))).toBe('permgraph: internal error: Maximum call stack size exceeded\n');
  });

  it('says bad input and errors of the surroundings as they are, control characters escaped, a long line cut', () => {
    expect(errorLine(new ScenarioError('x.yaml: steps[0]: \u001b[2J'))).toBe('permgraph: x.yaml: steps[0]: \\x1b[2J\n');
    const outside = Object.assign(new Error("no such user 'bob'"), { name: 'IdentityError' });
    expect(errorLine(outside)).toBe("permgraph: no such user 'bob'\n");
    expect(errorLine(Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' }))).toBe("permgraph: EACCES: permission denied, open '/x'\n");
    const long = errorLine(new ScenarioError('y'.repeat(5000)));
    expect(long.length).toBeLessThan(1100);
    expect(long.endsWith('…\n')).toBe(true);
  });
});
