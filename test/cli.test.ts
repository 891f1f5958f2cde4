/** The command line: traces, exit statuses, and one clear line for every kind of bad input. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { MALFORMED_SCENARIOS } from './fixtures/malformed-scenarios.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('permgraph run', () => {
  it('prints the trace of the bundled example and exits 0', async () => {
    const { code, out, err } = await cli('run', 'examples/commit-auto-read-only.yaml');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('# examples/commit-auto-read-only.yaml (model dynamic)');
    expect(out).toContain('    ro   base: true -> false, state active (dynamic auto-read-only with writers: read-write)\n');
    expect(out).toContain('    ro   base: false -> true, state idle (dynamic auto-read-only: no writer, so read-only)\n');
    expect(out).toContain('open /scenario/commit-auto-read-only/base.qcow2 (base-file): O_RDONLY -> O_RDWR');
    expect(out).toContain('    edge base -file-> base-file: _r__/_ru_ -> wr_s/_ru_\n');
    expect(out).toContain('    edge export guest -root-> top: none -> wr__/wru_\n');
    expect(out).toContain('    edge top -backing-> mid now -> #block011 (_r__/wrus)\n');
    expect(out).toContain('    edge job c1 backend -root-> base: wr__/_ru_ -> gone\n');
    expect(out).toMatch(/14 steps, 0 expectations failed\n$/);
  });

  it('shows each node as it starts, before anything else happens to it', async () => {
    const { out } = await cli('run', 'examples/commit-auto-read-only.yaml');
    expect(out).toContain(
      '    + node base-file (file): ro true, O_RDONLY, state idle (dynamic auto-read-only: no writer, so read-only)\n',
    );
    expect(out).toContain('    + node top (qcow2): ro false, state readWrite (read-write, whatever its users)\n');
    const step8 = out.slice(out.indexOf('[8] '), out.indexOf('[9] '));
    const added = step8.indexOf('+ node #block011 (commit_top): ro true, state readOnly');
    expect(added).toBeGreaterThan(0);
    expect(step8.indexOf('#block011 -backing-> mid')).toBeGreaterThan(added);
    expect(step8.indexOf('ro   base-file')).toBeGreaterThan(added);
    const step9 = out.slice(out.indexOf('[9] '));
    expect(step9.indexOf('- node #block011 (commit_top)')).toBeGreaterThan(step9.indexOf('edge #block011 -backing-> mid: ____/wrus -> gone'));
    const qemu = (await cli('run', 'examples/commit-auto-read-only.yaml', '--model', 'qemu-7.2')).out;
    expect(qemu).toContain(
      '    + node base-file (file): ro false, O_RDONLY, state fdIdle (QEMU 7.2 file-posix auto-read-only: node read-write, file open O_RDONLY)\n',
    );
  });

  it('takes the model from --model', async () => {
    const { code, out } = await cli('run', 'examples/commit-auto-read-only.yaml', '--model', 'qemu-7.2');
    expect(code).toBe(0);
    expect(out).toContain('(model qemu-7.2)');
    // the intermediate commit needs no reopen: base is read-write from the start in QEMU 7.2
    expect(out.slice(0, out.indexOf('[10] '))).not.toContain('ro   base: true -> false');
    // and the abandoned active commit leaves it read-write (QEMU 10.0 makes it read-only again)
    expect(out.slice(out.indexOf('[12] '))).not.toContain('ro   base: false -> true');
    const ten = (await cli('run', 'examples/commit-auto-read-only.yaml', '--model', 'qemu-10.0')).out;
    expect(ten.slice(ten.indexOf('[12] '))).toContain('ro   base: false -> true');
  });

  it('writes the changes as fields with --format json: names, the edge, perm and shared as QMP lists', async () => {
    const { code, out } = await cli('run', 'examples/commit-auto-read-only.yaml', '--format', 'json');
    expect(code).toBe(0);
    const trace = JSON.parse(out) as { steps: { changes: unknown[] }[] };
    const [step1, step8] = [trace.steps[1]!.changes, trace.steps[8]!.changes];
    expect(step1).toEqual([
      { kind: 'node-added', node: 'base', driver: 'qcow2', ro: true, state: 'idle', openMode: null },
      {
        kind: 'edge',
        edge: { parent: { kind: 'node', name: 'base' }, child: 'base-file', name: 'file', role: ['data', 'metadata', 'primary'] },
        from: null,
        to: { perm: ['consistent-read'], shared: ['write-unchanged', 'consistent-read'] },
      },
    ]);
    expect(trace.steps[0]!.changes).toEqual([
      { kind: 'node-added', node: 'base-file', driver: 'file', ro: true, state: 'idle', openMode: 'O_RDONLY' },
    ]);
    expect(step8).toContainEqual({ kind: 'ro', node: 'base', from: true, to: false, state: 'active' });
    expect(step8).toContainEqual({
      kind: 'open-mode',
      node: 'base-file',
      path: '/scenario/commit-auto-read-only/base.qcow2',
      from: 'O_RDONLY',
      to: 'O_RDWR',
    });
    expect(step8).toContainEqual({
      kind: 'edge',
      edge: { parent: { kind: 'node', name: 'base' }, child: 'base-file', name: 'file', role: ['data', 'metadata', 'primary'] },
      from: { perm: ['consistent-read'], shared: ['write-unchanged', 'consistent-read'] },
      to: { perm: ['resize', 'write', 'consistent-read'], shared: ['write-unchanged', 'consistent-read'] },
    });
    expect(step8).toContainEqual({
      kind: 'edge-moved',
      edge: { parent: { kind: 'node', name: 'top' }, child: 'mid', name: 'backing', role: ['cow'] },
      to: '#block011',
      perms: { perm: ['consistent-read'], shared: ['resize', 'write-unchanged', 'write', 'consistent-read'] },
    });
    expect(step8).toContainEqual({
      kind: 'edge',
      edge: { parent: { kind: 'job', name: 'c1' }, child: 'mid', name: 'intermediate node', role: [] },
      from: null,
      to: { perm: [], shared: ['write-unchanged', 'write'] },
    });
    expect(step8).toContainEqual(expect.objectContaining({ edge: expect.objectContaining({ parent: { kind: 'job-backend', name: 'c1' }, child: 'base' }) }));
    expect(trace.steps[7]!.changes).toContainEqual(expect.objectContaining({ edge: expect.objectContaining({ parent: { kind: 'export', name: 'guest' }, name: 'root' }) }));
    expect(trace.steps[9]!.changes.at(-1)).toEqual({ kind: 'node-removed', node: '#block011', driver: 'commit_top' });
  });

  it('writes JSON with --format json', async () => {
    const { code, out } = await cli('run', 'examples/reopen.yaml', '--format', 'json');
    expect(code).toBe(0);
    const trace = JSON.parse(out) as { ok: boolean; model: string; steps: { reply?: unknown }[] };
    expect(trace).toMatchObject({ ok: true, model: 'dynamic' });
    expect(trace.steps).toHaveLength(9);
    expect(trace.steps[5]?.reply).toEqual({
      error: { class: 'GenericError', desc: "Read-only block node 'r' cannot support read-write users" },
    });
  });

  it('exits 1 when an expectation fails, and says which', async () => {
    const file = join(scratch, 'expect.yaml');
    writeFileSync(file, 'steps:\n  - execute: blockdev-del\n    arguments: {node-name: nope}\n    expect: {ok: true}\n');
    const { code, out } = await cli('run', file);
    expect(code).toBe(1);
    expect(out).toContain("FAILED: expected success, got error GenericError: Failed to find node with node-name='nope'");
    expect(out).toContain('1 steps, 1 expectation failed');
  });

  it('exits 2 on a missing file, a bad option and an unknown command', async () => {
    expect(await cli('run', join(scratch, 'none.yaml'))).toMatchObject({ code: 2, err: `permgraph: ${join(scratch, 'none.yaml')}: cannot read: no such file\n` });
    expect(await cli('run', 'examples/reopen.yaml', '--model', 'qemu-9')).toMatchObject({ code: 2 });
    expect((await cli('run', 'examples/reopen.yaml', '--model', 'qemu-9')).err).toMatch(/^permgraph: option '--model <model>' argument 'qemu-9' is invalid/);
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: "permgraph: unknown command 'frobnicate'\n" });
  });

  it('has --help on every command', async () => {
    for (const argv of [['--help'], ['run', '--help']]) {
      const { code, out } = await cli(...argv);
      expect(code).toBe(0);
      expect(out).toContain('Usage: permgraph');
    }
  });

  it('explains the trace, the perm masks and the chart states in run --help and graph --help', async () => {
    const run = await cli('run', '--help');
    expect(run.code).toBe(0);
    for (const line of [
      '      + node NODE (DRIVER): ro BOOL[, MODE], state STATE (meaning)',
      '      edge PARENT -NAME-> CHILD: PERM/SHARED -> PERM/SHARED',
      '  w  write             (QMP write)',
      '  r  consistent read   (QMP consistent-read)',
      '  u  write unchanged   (QMP write-unchanged)',
      '  s  resize            (QMP resize)',
      '  _  the permission is absent',
      '  idle        dynamic auto-read-only: no writer, so read-only',
      '  active      dynamic auto-read-only with writers: read-write',
      '  fdIdle      QEMU 7.2 file-posix auto-read-only: node read-write, file open O_RDONLY',
      '--format json: the same as fields (docs/trace.md): each change has a `kind`; nodes by',
    ]) {
      expect(run.out).toContain(`${line}\n`);
    }
    const graph = await cli('graph', '--help');
    expect(graph.code).toBe(0);
    expect(graph.out).toContain('  arrow    an edge from parent to child, labelled with three lines: the child name\n');
    expect(graph.out).toContain('  s  resize            (QMP resize)\n');
    expect(graph.out).toContain('  readOnly    read-only=on: read-only until a reopen says otherwise\n');
  });

  it('prints the version of package.json with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    expect(await cli('-V')).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });
});

describe('malformed scenario files', () => {
  it('has a corpus of at least 40', () => expect(MALFORMED_SCENARIOS.length).toBeGreaterThanOrEqual(40));
  it.each(MALFORMED_SCENARIOS.map((m, i) => [m.name, m, i] as const))('%s', async (_name, m, i) => {
    const file = join(scratch, `bad-${i}.${m.ext}`);
    writeFileSync(file, m.text);
    const { code, out, err } = await cli('run', file);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toHaveLength(2);
    // FILE: what, or FILE:LINE:COL: what for a syntax error
    expect(err.startsWith(`permgraph: ${file}`)).toBe(true);
    expect(err.slice(`permgraph: ${file}`.length)).toMatch(/^(:\d+:\d+)?: /);
    expect(err).toContain(m.says);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
