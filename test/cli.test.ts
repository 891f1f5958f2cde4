/** The command line: traces, exit statuses, and one clear line for every kind of bad input. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(out).toContain('ro   base: true -> false [active]');
    expect(out).toContain('ro   base: false -> true [idle]');
    expect(out).toContain('open /scenario/commit-auto-read-only/base.qcow2 (base-file): O_RDONLY -> O_RDWR');
    expect(out).toMatch(/10 steps, 0 expectations failed\n$/);
  });

  it('takes the model from --model', async () => {
    const { code, out } = await cli('run', 'examples/commit-auto-read-only.yaml', '--model', 'qemu-7.2');
    expect(code).toBe(0);
    expect(out).toContain('(model qemu-7.2)');
    expect(out).not.toContain('ro   base: true -> false');
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
