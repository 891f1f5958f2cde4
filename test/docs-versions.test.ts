/**
 * docs/fidelity.md's table of QEMU 7.2 → 10.0 differences names every scenario whose recordings
 * on the two daemons differ, and only scenarios that exist.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { differences } from '../src/diff/compare.js';
import { normalizeTrace } from '../src/diff/normalize.js';
import { CORPUS, type CorpusEntry } from './support/corpus.js';

const page = readFileSync(new URL('../docs/fidelity.md', import.meta.url), 'utf8');
const section = page.slice(page.indexOf('## QEMU 7.2 → 10.0'), page.indexOf('\n## ', page.indexOf('## QEMU 7.2 → 10.0') + 1));
/** The scenarios column (the fourth) of the section's tables. */
const named = new Set(
  section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .flatMap((line) => [...(line.split('|')[4] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!)),
);

describe('docs/fidelity.md, QEMU 7.2 → 10.0', () => {
  it('names every scenario whose two recordings differ', () => {
    const pairs = new Map<string, Partial<Record<string, CorpusEntry>>>();
    for (const entry of CORPUS) pairs.set(entry.file, { ...pairs.get(entry.file), [entry.model]: entry });
    const differing = [...pairs.values()]
      .filter((pair) => pair['qemu-7.2'] && pair['qemu-10.0'])
      .filter((pair) => differences(normalizeTrace(pair['qemu-7.2']!.trace), normalizeTrace(pair['qemu-10.0']!.trace), ['7.2', '10.0']).length > 0)
      .map((pair) => pair['qemu-7.2']!.name);
    expect(differing.length).toBeGreaterThan(5);
    expect(differing.filter((name) => !named.has(name))).toEqual([]);
  });

  it('names only scenarios that exist', () => {
    const names = new Set(CORPUS.map((e) => e.name));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((n) => !names.has(n))).toEqual([]);
  });
});
