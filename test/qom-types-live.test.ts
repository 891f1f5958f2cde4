/**
 * The QOM types of src/commands/qom-types-<release>.ts against what the real daemons still answer:
 * test/support/record-qom-types.py records them anew into a scratch directory, and the files must
 * be the same. Skips without the daemons (fails under PERMGRAPH_REQUIRE_ALL=1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonBinary } from '../src/diff/versions.js';
import { createPermgraph } from '../src/index.js';
import { missing } from './support/environment.js';

const MODELS = ['qemu-7.2', 'qemu-10.0'] as const;

describe.each(MODELS)('the recorded QOM types of %s', (model) => {
  const binary = daemonBinary(model, process.env);
  const why = missing([binary], 'the QEMU daemons of docs/versions.md');
  const release = model.slice('qemu-'.length);
  it.skipIf(why !== null)(`are what ${binary} still answers`, () => {
    const out = mkdtempSync(join(tmpdir(), 'qom-types-'));
    try {
      execFileSync('python3', ['test/support/record-qom-types.py', '--out', out, '--only', release, '--binary', binary], { stdio: 'pipe', timeout: 120_000 });
      const file = `qom-types-${release}.ts`;
      expect(readFileSync(join(out, file), 'utf8')).toBe(readFileSync(join('src/commands', file), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe.each(MODELS)('qom-list-types and qom-list-properties of %s', (model) => {
  const pg = createPermgraph({ model });
  const ask = (execute: string, args: Record<string, unknown>): unknown => pg.execute({ execute, arguments: args });
  const names = (args: Record<string, unknown>): string[] => (ask('qom-list-types', args) as { return: { name: string }[] }).return.map((t) => t.name);

  it('filters by an interface through exactly one of the class interfaces, as object_class_dynamic_cast() does', () => {
    const all = names({ abstract: true });
    expect(names({ implements: 'user-creatable' })).toContain('throttle-group');
    expect(names({ implements: 'user-creatable' })).not.toContain('chardev-socket');
    expect(names({ implements: 'object' })).toEqual(names({}));
    expect(names({ implements: 'nosuch', abstract: true })).toEqual([]);
    expect(all.filter((n) => !names({}).includes(n))).toContain('interface');
  });

  it('refuses an unknown type and an interface with QEMU texts', () => {
    expect(ask('qom-list-properties', { typename: 'nosuch' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Class 'nosuch' not found" } });
    expect(ask('qom-list-properties', { typename: 'user-creatable' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'typename' expects a QOM type" } });
  });
});
