/**
 * Dirty bitmaps against the recorded daemons, beyond what the normalized replay compares: the
 * `dirty-bitmaps` each query-named-block-nodes of the bitmaps-* corpus showed (named bitmaps; the
 * anonymous ones of running jobs are not simulated) and every sha256 x-debug-block-dirty-bitmap-sha256
 * gave, as permgraph gives them in the trace's own model.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/diff/simulate.js';
import type { Json, Trace } from '../src/diff/trace.js';
import { sha256OfZeros } from '../src/util/sha256.js';
import { CORPUS } from './support/corpus.js';

type Row = { readonly 'node-name'?: string; readonly 'dirty-bitmaps'?: readonly { readonly name?: string }[] };

/** What the bitmap steps of a trace returned: each query's named bitmaps by node, each sha256 reply. */
function bitmapReplies(trace: Trace): Json[] {
  return trace.steps.flatMap((step): Json[] => {
    const reply = (step.return ?? step.error ?? null) as Json;
    if (step.execute === 'x-debug-block-dirty-bitmap-sha256') return [reply];
    if (step.execute !== 'query-named-block-nodes' || !Array.isArray(reply)) return [];
    const rows = (reply as unknown as Row[])
      .filter((n) => !String(n['node-name']).startsWith('#'))
      .map((n) => [n['node-name'] ?? '', (n['dirty-bitmaps'] ?? []).filter((b) => b.name !== undefined)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return [rows as unknown as Json];
  });
}

describe('dirty bitmaps as the daemons showed them', () => {
  const entries = CORPUS.filter((e) => e.name.startsWith('bitmaps-'));

  it('has the bitmaps scenarios, recorded on both daemons', () => {
    expect(entries.length).toBeGreaterThanOrEqual(10);
  });

  for (const entry of entries) {
    it(`${entry.name} (${entry.model}): the same bitmaps and hashes`, () => {
      const simulated = simulate(entry.scenario, entry.name, { model: entry.model, file: entry.file });
      expect(bitmapReplies(simulated)).toEqual(bitmapReplies(entry.trace));
    });
  }
});

describe('sha256OfZeros', () => {
  it('is the SHA-256 of that many zero bytes (FIPS 180-4 padding at every length around a block)', () => {
    expect(sha256OfZeros(0)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256OfZeros(8)).toBe('af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc');
    expect(sha256OfZeros(64)).toBe('f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b');
    expect(sha256OfZeros(256)).toBe('5341e6b2646979a70e57653007a1f310169421ec9bdd9f1a5648f75ade005af1');
  });
});
