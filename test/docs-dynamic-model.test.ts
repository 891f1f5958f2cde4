/**
 * docs/dynamic-model.md: each rule names the invariants `permgraph check` verifies for it (all in
 * the catalogue) and shows a scenario side by side in model dynamic and on qemu-storage-daemon 7.2
 * (its recording); the tables are what the code and the recordings give now.
 * PERMGRAPH_UPDATE_DOCS=1 rewrites them instead.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVARIANT_FACTS } from '../src/invariants/index.js';
import { sideBySide } from './support/side-by-side.js';

const PAGE = 'docs/dynamic-model.md';
const UPDATE = process.env['PERMGRAPH_UPDATE_DOCS'] === '1';
const TABLE = /<!-- side-by-side: (\S+) -->\n([\s\S]*?)<!-- \/side-by-side -->/g;
const RULES = [
  'open', 'first writer', 'last writer', 'a reopen given by the user', 'options changed', 'a format node over a protocol node',
  'a reopen that fails half-way down a chain', 'a writer leaving while another is being refused', 'jobs', 'exports', 'NBD',
  'storage that turns unwritable or writable between commands',
];

/** An example's recording is in test/fixtures/examples; a corpus scenario's lies beside it. */
const recordingOf = (file: string): string =>
  file.startsWith('examples/') ? file.replace(/^examples\/(.*)\.yaml$/, 'test/fixtures/examples/$1.trace.json') : file.replace(/\.json$/, '.trace.json');

describe(PAGE, () => {
  const page = readFileSync(PAGE, 'utf8');
  const rules = page.split(/^## Rule \d+: /m).slice(1);

  it('has every rule, in order', () => {
    expect(rules.map((r) => r.split('\n')[0])).toEqual(RULES);
  });

  it.each(RULES.map((name, i) => [name, i] as const))('rule "%s" names invariants of the catalogue', (_name, i) => {
    const line = rules[i]!.split('\n').find((l) => l.startsWith('Invariants: '));
    const named = [...(line ?? '').matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(INVARIANT_FACTS.map((f) => f.name)).toContain(name);
  });

  it('shows each scenario side by side as the code and the recordings give it now', () => {
    let updated = page;
    for (const [whole, file, body] of page.matchAll(TABLE)) {
      expect(existsSync(recordingOf(file!)), `${file} has no recording`).toBe(true);
      const now = sideBySide(file!, recordingOf(file!));
      if (UPDATE) updated = updated.replace(whole, () => `<!-- side-by-side: ${file} -->\n${now}<!-- /side-by-side -->`);
      else expect(body, `${PAGE}: the table of ${file} is stale: PERMGRAPH_UPDATE_DOCS=1 npx vitest run test/docs-dynamic-model.test.ts`).toBe(now);
    }
    if (UPDATE) writeFileSync(PAGE, updated);
  });
});
