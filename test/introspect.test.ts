/**
 * query-commands and query-qmp-schema against what the real daemons answered
 * (test/fixtures/qmp-schema/, recorded by test/support/record-qmp-schema.py). Types are compared
 * by shape, whatever numbers their names were masked to (test/support/qmp-schema-compare.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPermgraph } from '../src/index.js';
import { daemonBinary } from '../src/diff/versions.js';
import { compareSchemas, type SchemaInfo } from './support/qmp-schema-compare.js';
import { introspect } from '../src/qapi/introspect.js';
import { schemaFor } from '../src/qapi/release-schema.js';
import { COMMAND_FEATURES, RETURNS, returnsOf } from '../src/qapi/returns.js';
import { rulesOf } from '../src/models/rules.js';
import { missing } from './support/environment.js';

const FIXTURES = 'test/fixtures/qmp-schema';
const MODELS = [
  { model: 'qemu-7.2', fixture: 'qemu-7.2.json' },
  { model: 'qemu-10.0', fixture: 'qemu-10.0.json' },
] as const;

interface Fixture {
  readonly commands: readonly { readonly name: string }[];
  readonly schema: readonly SchemaInfo[];
}

const fixture = (name: string): Fixture => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;

/**
 * Commands permgraph answers that qemu-storage-daemon has not: its own (x-permgraph-*), and
 * device_add / device_del, which only QEMU's system emulator has (src/commands/devices.ts).
 */
const own = (name: string): boolean => name.startsWith('x-permgraph-') || name === 'device_add' || name === 'device_del';

function answers(model: 'qemu-7.2' | 'qemu-10.0'): { commands: string[]; schema: SchemaInfo[] } {
  const pg = createPermgraph({ model });
  const commands = pg.execute({ execute: 'query-commands' }) as { return: { name: string }[] };
  const schema = pg.execute({ execute: 'query-qmp-schema' }) as { return: SchemaInfo[] };
  return {
    commands: commands.return.map((c) => c.name).filter((n) => !own(n)),
    schema: schema.return.filter((i) => !(i['meta-type'] === 'command' && own(String(i['name'])))),
  };
}

describe.each(MODELS)('introspection of $model', ({ model, fixture: file }) => {
  const expected = fixture(file);
  const mine = answers(model);
  const comparison = compareSchemas(mine.schema, expected.schema);

  it('answers a schema whose every type name is defined once, and used', () => {
    const names = mine.schema.filter((i) => i['meta-type'] !== 'command' && i['meta-type'] !== 'event').map((i) => String(i['name']));
    expect(new Set(names).size).toBe(names.length);
    const used = new Set(mine.schema.flatMap((i) => JSON.stringify(i).match(/"(arg-type|ret-type|type|element-type)":"[^"]+"/g) ?? []).map((s) => s.split('":"')[1]?.slice(0, -1)));
    for (const name of used) expect(names).toContain(name);
    // masked as QEMU masks them: "0", "1", … in order
    const masked = names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    expect(masked).toEqual(masked.map((_, i) => i));
  });

  it('(a) describes every command it answers as the daemon does: arguments, return, features', () => {
    const differing = Object.fromEntries([...comparison.different].filter(([key]) => key.startsWith('command ')));
    expect(differing).toEqual({});
    expect(comparison.extra).toEqual([]);
  });

  it('(a) describes every event as the daemon does', () => {
    expect(comparison.missing.filter((k) => k.startsWith('event '))).toEqual([]);
    expect(Object.fromEntries([...comparison.different].filter(([key]) => key.startsWith('event ')))).toEqual({});
  });

  it('(a) lists the daemon commands it lacks yet', () => {
    const lacking = comparison.missing.filter((k) => k.startsWith('command ')).map((k) => k.slice('command '.length));
    console.log(`${model}: ${lacking.length} daemon commands not answered yet: ${lacking.join(', ')}`);
    expect(lacking).toEqual(expected.commands.map((c) => c.name).filter((n) => !mine.commands.includes(n)).sort());
  });

  it('(b) lacks nothing but commands not implemented yet', () => {
    expect(comparison.extra).toEqual([]);
    expect([...comparison.different.keys()]).toEqual([]);
    expect(comparison.missing.every((k) => k.startsWith('command '))).toBe(true);
    expect(mine.commands.filter((n) => !expected.commands.some((c) => c.name === n))).toEqual([]);
  });

  it("(a) has the return type and features of every daemon command, implemented or not", () => {
    const release = rulesOf(model).qapiRelease;
    const names = expected.commands.map((c) => c.name);
    expect(names.filter((name) => !Object.hasOwn(RETURNS, name))).toEqual([]);
    const schema = introspect(
      names.map((name) => {
        const ret = returnsOf(name, release);
        return { name, ret: ret && schemaFor(ret, release), features: COMMAND_FEATURES[name] };
      }),
      [],
    );
    const returns = compareSchemas(schema, expected.schema, ['ret-type']);
    expect(Object.fromEntries(returns.different)).toEqual({});
  });

  // ACCEPTANCE: the whole schema and command list equal the daemon's.
  it('(b) answers query-commands and query-qmp-schema as the daemon does, in full', () => {
    expect([...mine.commands].sort()).toEqual(expected.commands.map((c) => c.name).sort());
    expect(comparison.missing).toEqual([]);
    expect(comparison.different.size).toBe(0);
    expect(comparison.extra).toEqual([]);
  });
});

describe.each(MODELS)('the recorded schema of $model', ({ model, fixture: file }) => {
  const binary = daemonBinary(model, process.env);
  const why = missing([binary], 'the QEMU daemons of docs/versions.md');
  it.skipIf(why !== null)(`is what ${binary} still answers`, () => {
    const out = mkdtempSync(join(tmpdir(), 'qmp-schema-'));
    try {
      const release = model.slice('qemu-'.length);
      execFileSync('python3', ['test/support/record-qmp-schema.py', '--out', out, '--only', release, '--binary', binary], { stdio: 'pipe', timeout: 60_000 });
      const live = JSON.parse(readFileSync(join(out, file), 'utf8')) as Fixture;
      const recorded = fixture(file);
      expect(live.commands).toEqual(recorded.commands);
      expect(live.schema).toEqual(recorded.schema);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
